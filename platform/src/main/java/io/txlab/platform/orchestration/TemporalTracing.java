package io.txlab.platform.orchestration;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.opentracing.Tracer;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.opentracing.OpenTracingOptions;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;
import io.temporal.opentracing.SpanBuilderProvider;
import io.temporal.opentracing.SpanCreationContext;
import io.temporal.opentracing.internal.ActionTypeAndNameSpanBuilderProvider;
import io.temporal.worker.WorkerFactoryOptions;
import io.txlab.platform.tracing.OrderTracing;
import java.util.UUID;

/**
 * Temporal's tracing interceptors (module {@code temporal-opentracing}) over the application's OpenTelemetry SDK,
 * through the OpenTracing shim: the client puts the caller's context (an order's trace, its {@code orderId} baggage)
 * into the workflow's headers and records a {@code StartWorkflow:...} span; the workers continue it with
 * {@code RunWorkflow:...}, {@code StartActivity:...} and {@code RunActivity:...} spans, the activities' own work (HTTP,
 * JDBC) nested below. The shim uses the SDK's propagators (W3C trace context and baggage) and its sampler, so the
 * order's sampling decision holds through the saga.
 *
 * <p>The workflow's own spans start from the shim without the {@code orderId} baggage in their parent context, so
 * {@link OrderIdTag} tags every Temporal span with {@code orderId} = its workflow id when that is an order id (the
 * place-order saga's workflow id is its order's id), like every other span of the order.
 */
public final class TemporalTracing {

    private static final TemporalTracing NONE = new TemporalTracing(null);

    private final OpenTracingOptions options;

    private TemporalTracing(OpenTracingOptions options) {
        this.options = options;
    }

    /** @param openTelemetry the SDK, or null when tracing is off */
    public static TemporalTracing over(OpenTelemetry openTelemetry) {
        if (openTelemetry == null) {
            return NONE;
        }
        return new TemporalTracing(OpenTracingOptions.newBuilder()
                .setTracer(OpenTracingShim.createTracerShim(openTelemetry))
                .setSpanBuilderProvider(new OrderIdTag())
                .build());
    }

    public boolean enabled() {
        return options != null;
    }

    WorkflowClientOptions.Builder apply(WorkflowClientOptions.Builder client) {
        return options == null ? client : client.setInterceptors(new OpenTracingClientInterceptor(options));
    }

    WorkerFactoryOptions.Builder apply(WorkerFactoryOptions.Builder workers) {
        return options == null ? workers : workers.setWorkerInterceptors(new OpenTracingWorkerInterceptor(options));
    }

    /** Temporal's own span names and tags, plus {@code orderId} when the workflow id is an order id. */
    static final class OrderIdTag implements SpanBuilderProvider {

        @Override
        public Tracer.SpanBuilder createSpanBuilder(Tracer tracer, SpanCreationContext context) {
            Tracer.SpanBuilder builder = ActionTypeAndNameSpanBuilderProvider.INSTANCE.createSpanBuilder(tracer, context);
            String workflowId = context.getWorkflowId();
            return isOrderId(workflowId) ? builder.withTag(OrderTracing.BAGGAGE, workflowId) : builder;
        }

        private static boolean isOrderId(String workflowId) {
            if (workflowId == null || workflowId.length() != 36) {
                return false;
            }
            try {
                return UUID.fromString(workflowId).toString().equals(workflowId);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}

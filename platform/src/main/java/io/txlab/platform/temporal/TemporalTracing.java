package io.txlab.platform.temporal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.opentracingshim.OpenTracingShim;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.opentracing.OpenTracingClientInterceptor;
import io.temporal.opentracing.OpenTracingOptions;
import io.temporal.opentracing.OpenTracingWorkerInterceptor;
import io.temporal.worker.WorkerFactoryOptions;

/**
 * Temporal's tracing interceptors (module {@code temporal-opentracing}) over the application's OpenTelemetry SDK,
 * through the OpenTracing shim: the client puts the caller's context (an order's trace, its {@code orderId} baggage)
 * into the workflow's headers and records a {@code StartWorkflow:...} span; the workers continue it with
 * {@code RunWorkflow:...}, {@code StartActivity:...} and {@code RunActivity:...} spans, the activities' own work (HTTP,
 * JDBC) nested below. The shim uses the SDK's propagators (W3C trace context and baggage) and its sampler, so the
 * order's sampling decision holds through the saga.
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
}

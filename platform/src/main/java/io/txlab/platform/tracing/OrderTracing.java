package io.txlab.platform.tracing;

import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * Ties the current trace to an order: where an order id first becomes known (order-service, at placement), it is
 * put in the {@value #BAGGAGE} baggage, which travels with the trace context over HTTP, Kafka, outbox rows and
 * Temporal headers and lands in every service's MDC, and the current span is tagged {@value #ORDER_TAG} and
 * {@value #FLOW_TAG}. With tracing off the calls cost nothing (the no-op tracer).
 */
public class OrderTracing {

    /** Baggage field (and MDC key) carrying the order id. */
    public static final String BAGGAGE = "orderId";
    /** Span tag with the order id. */
    public static final String ORDER_TAG = "order.id";
    /** Span tag with the flow id. */
    public static final String FLOW_TAG = "flow";

    /** An open correlation; closing it restores the context as it was before. */
    public interface Scope extends AutoCloseable {

        Scope NONE = () -> {
        };

        @Override
        void close();
    }

    private final Tracer tracer;

    public OrderTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** For code and tests that run without tracing. */
    public static OrderTracing noop() {
        return new OrderTracing(Tracer.NOOP);
    }

    /**
     * Tags the current span with the order and its flow and puts the order id in the baggage until the scope closes.
     * Work started inside the scope (HTTP calls, Kafka sends, outbox rows, workflow starts) carries it on.
     */
    public Scope correlate(UUID orderId, String flow) {
        String id = orderId.toString();
        Span span = tracer.currentSpan();
        if (span != null) {
            span.tag(ORDER_TAG, id);
            span.tag(FLOW_TAG, flow);
        }
        BaggageInScope baggage = tracer.createBaggageInScope(BAGGAGE, id);
        return baggage::close;
    }

    /** {@code task} running in another thread within the current trace context (span and baggage). */
    public Runnable wrap(Runnable task) {
        return tracer.currentTraceContext().wrap(task);
    }

    /**
     * A view of {@code executor} whose tasks run in the trace context (span and baggage) current at this call; take a
     * fresh view per unit of work (the context is captured here, not at each submit).
     */
    public ExecutorService inCurrentContext(ExecutorService executor) {
        return tracer.currentTraceContext().wrap(executor);
    }

    /** The 32-hex trace id of the current span, if there is one (sampled or not). */
    public Optional<String> currentTraceId() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return Optional.empty();
        }
        String traceId = span.context().traceId();
        return traceId == null || traceId.isEmpty() || traceId.chars().allMatch(c -> c == '0')
                ? Optional.empty() : Optional.of(traceId);
    }
}

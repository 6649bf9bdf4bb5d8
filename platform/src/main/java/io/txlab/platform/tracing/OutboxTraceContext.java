package io.txlab.platform.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carries an order's trace across the outbox table, where no transport header exists: the writer stores the current
 * context (W3C {@code traceparent}, {@code baggage}) as a small JSON object in the row's {@code trace_headers} column,
 * and a relay restores it around the Kafka send, inside an {@value #RELAY_OBSERVATION} observation that is a child of
 * the stored context. The Kafka producer span, and so the consumer, then belong to the order's trace although the
 * send happens later, on another thread, maybe in another process.
 */
public class OutboxTraceContext {

    /** Observation (and metric) name of the relay step; its span is called {@value #RELAY_SPAN}. */
    public static final String RELAY_OBSERVATION = "txlab.outbox.relay";
    public static final String RELAY_SPAN = "outbox relay";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };

    private final Tracer tracer;
    private final Propagator propagator;
    private final ObservationRegistry observations;

    public OutboxTraceContext(Tracer tracer, Propagator propagator, ObservationRegistry observations) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.observations = observations;
    }

    /** Stores nothing and relays without an observation: for code and tests that run without tracing. */
    public static OutboxTraceContext noop() {
        return new OutboxTraceContext(Tracer.NOOP, Propagator.NOOP, ObservationRegistry.NOOP);
    }

    /** @return the current trace context as JSON headers, or null when no span is current */
    public String capture() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        propagator.inject(span.context(), headers, Map::put);
        return headers.isEmpty() ? null : JSON.writeValueAsString(headers);
    }

    /**
     * Runs {@code send} in a relay observation continuing the stored context; without stored headers (rows written
     * before tracing, or without a current span) it runs as is.
     *
     * @param relay    which relay (debezium, polling), a low-cardinality tag
     * @param orderId  the row's aggregate id, a span tag
     */
    public void relay(String storedHeaders, String relay, String orderId, String eventType, Runnable send) {
        if (storedHeaders == null || storedHeaders.isBlank()) {
            send.run();
            return;
        }
        Map<String, String> headers = JSON.readValue(storedHeaders, MAP);
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.CONSUMER);
        context.setCarrier(headers);
        context.setRemoteServiceName("outbox");
        Observation.createNotStarted(RELAY_OBSERVATION, () -> context, observations)
                .contextualName(RELAY_SPAN)
                .lowCardinalityKeyValue("outbox.relay", relay)
                .highCardinalityKeyValue(OrderTracing.ORDER_TAG, orderId)
                .highCardinalityKeyValue("event.type", eventType)
                .observe(send);
    }
}

package io.txlab.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox's trace hand-over with Boot's real tracing wiring (OTel SDK, Micrometer bridge, W3C propagation with
 * baggage) and the SDK's in-memory exporter: the context stored with a row comes back in the relay as the parent of
 * the relay span, on another thread, with the order id baggage.
 */
class OutboxTraceContextTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                    OpenTelemetrySdkAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
                    OpenTelemetryTracingAutoConfiguration.class, TracingAutoConfiguration.class))
            .withPropertyValues("management.tracing.sampling.probability=1.0",
                    "management.tracing.baggage.remote-fields=" + OrderTracing.BAGGAGE,
                    "management.tracing.baggage.correlation.fields=" + OrderTracing.BAGGAGE)
            .withBean(SpanExporter.class, () -> exported);

    @Test
    void storedHeadersComeBackAsTheParentOfTheRelaySpanWithTheOrderBaggage() {
        runner.run(context -> {
            Tracer tracer = context.getBean(Tracer.class);
            OrderTracing orders = context.getBean(OrderTracing.class);
            OutboxTraceContext outbox = context.getBean(OutboxTraceContext.class);
            UUID orderId = UUID.randomUUID();

            String stored;
            Span placing = tracer.nextSpan().name("place order").start();
            try (Tracer.SpanInScope in = tracer.withSpan(placing);
                 OrderTracing.Scope correlated = orders.correlate(orderId, "outbox")) {
                stored = outbox.capture();
            } finally {
                placing.end();
            }
            assertThat(JsonMapper.builder().build().readTree(stored).propertyNames())
                    .contains("traceparent", "baggage");
            assertThat(stored).contains(orderId.toString());

            AtomicReference<String> traceInSend = new AtomicReference<>();
            AtomicReference<String> parentInSend = new AtomicReference<>();
            AtomicReference<String> baggageInSend = new AtomicReference<>();
            ExecutorService relayThread = Executors.newSingleThreadExecutor();
            try {
                relayThread.submit(() -> outbox.relay(stored, "polling", orderId.toString(), "OrderPlaced", () -> {
                    Span current = tracer.currentSpan();
                    traceInSend.set(current.context().traceId());
                    parentInSend.set(current.context().parentId());
                    baggageInSend.set(tracer.getBaggage(OrderTracing.BAGGAGE).get());
                    // stands for the Kafka producer span the template starts here
                    tracer.nextSpan().name("kafka send").start().end();
                })).get(10, TimeUnit.SECONDS);
            } finally {
                relayThread.shutdownNow();
            }

            assertThat(traceInSend).hasValue(placing.context().traceId());
            assertThat(parentInSend).hasValue(placing.context().spanId());
            assertThat(baggageInSend).hasValue(orderId.toString());

            context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
            List<SpanData> spans = exported.getFinishedSpanItems();
            SpanData relay = spans.stream().filter(s -> s.getName().equals(OutboxTraceContext.RELAY_SPAN))
                    .findFirst().orElseThrow();
            assertThat(relay.getTraceId()).isEqualTo(placing.context().traceId());
            assertThat(relay.getParentSpanId()).isEqualTo(placing.context().spanId());
            assertThat(relay.getAttributes().asMap().entrySet())
                    .anySatisfy(e -> {
                        assertThat(e.getKey().getKey()).isEqualTo(OrderTracing.ORDER_TAG);
                        assertThat(e.getValue()).isEqualTo(orderId.toString());
                    });
            SpanData send = spans.stream().filter(s -> s.getName().equals("kafka send")).findFirst().orElseThrow();
            assertThat(send.getParentSpanId()).isEqualTo(relay.getSpanId());
            assertThat(send.getAttributes().asMap().entrySet()).as("the baggage tagged on the spans below the relay")
                    .anySatisfy(e -> {
                        assertThat(e.getKey().getKey()).isEqualTo(OrderTracing.BAGGAGE);
                        assertThat(e.getValue()).isEqualTo(orderId.toString());
                    });
            SpanData place = spans.stream().filter(s -> s.getName().equals("place order")).findFirst().orElseThrow();
            assertThat(place.getAttributes().asMap().entrySet())
                    .anySatisfy(e -> assertThat(e.getKey().getKey()).isEqualTo(OrderTracing.FLOW_TAG));
        });
    }

    @Test
    void withoutACurrentSpanNothingIsStoredAndTheRelaySendsWithoutASpan() {
        runner.run(context -> {
            Tracer tracer = context.getBean(Tracer.class);
            OutboxTraceContext outbox = context.getBean(OutboxTraceContext.class);
            assertThat(outbox.capture()).isNull();
            AtomicReference<Span> inSend = new AtomicReference<>();
            outbox.relay(null, "debezium", "o-1", "OrderPlaced", () -> inSend.set(tracer.currentSpan()));
            assertThat(inSend).hasNullValue();
        });
    }

    @Test
    void anUnsampledContextStaysUnsampledThroughTheOutbox() {
        runner.run(context -> {
            Tracer tracer = context.getBean(Tracer.class);
            OutboxTraceContext outbox = context.getBean(OutboxTraceContext.class);
            String traceId = "0af7651916cd43dd8448eb211c80319c";
            String unsampled = "{\"traceparent\":\"00-" + traceId + "-b7ad6b7169203331-00\"}";
            AtomicReference<Span> inSend = new AtomicReference<>();
            outbox.relay(unsampled, "polling", "o-2", "OrderPlaced", () -> inSend.set(tracer.currentSpan()));
            assertThat(inSend.get().context().traceId()).isEqualTo(traceId);
            assertThat(inSend.get().context().sampled()).isFalse();
            context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
            assertThat(exported.getFinishedSpanItems()).noneMatch(s -> s.getTraceId().equals(traceId));
        });
    }
}

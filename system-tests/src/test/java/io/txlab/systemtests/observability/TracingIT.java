package io.txlab.systemtests.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.OrdersClient;
import io.txlab.systemtests.support.SystemStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One order per flow, with tracing on as the stack runs it (Zipkin started, every order sampled): the order's
 * {@code X-Trace-Id} names ONE trace in Zipkin - a real Zipkin server collecting the services' real spans - that
 * holds every hop of its flow, in the services that make them, every span connected to that trace, and each
 * service's spans tagged with the order id (the {@code orderId} baggage; {@code order.id} on the root span).
 */
class TracingIT {

    private static final Duration COLLECTED = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final String ORDER = Topology.ORDER_SERVICE;
    private static final String INVENTORY = Topology.INVENTORY_SERVICE;
    private static final String PAYMENT = Topology.PAYMENT_SERVICE;

    private final SystemStack stack = SystemStack.get();

    /** A hop: the service that records it and its span name (Zipkin lower-cases names). */
    record Hop(String service, String name) {
        @Override
        public String toString() {
            return service + ": " + name;
        }
    }

    @Test
    void choreographyIsOneTraceThroughKafka() {
        Trace trace = placeAndCollect(Flow.CHOREOGRAPHY, "C-0951", kafkaHops());
        trace.assertOneTaggedTrace(ORDER, INVENTORY, PAYMENT);
        // StockReserved reaches order-service and PaymentAuthorized inventory-service, and neither handles it: they are
        // skipped before the listener's observation (adr/0050), so they leave no span.
        assertThat(trace.hops()).as("spans of events only ignored")
                .doesNotContain(new Hop(ORDER, "inventory.events process"),
                        new Hop(INVENTORY, "payment.events process"));
    }

    @Test
    void outboxIsOneTraceThroughTheRelaysAndKafka() {
        List<Hop> hops = new ArrayList<>(kafkaHops());
        hops.add(new Hop(ORDER, "outbox relay"));
        hops.add(new Hop(INVENTORY, "outbox relay"));
        hops.add(new Hop(PAYMENT, "outbox relay"));
        Trace trace = placeAndCollect(Flow.OUTBOX, "C-0952", hops);
        trace.assertOneTaggedTrace(ORDER, INVENTORY, PAYMENT);
        // The producer span of each relayed event is a child of its relay span: the trace went through the outbox.
        for (String service : List.of(ORDER, INVENTORY, PAYMENT)) {
            JsonNode relay = trace.find(new Hop(service, "outbox relay"));
            assertThat(trace.spans).as("a send below the relay span of %s", service)
                    .anyMatch(s -> s.path("parentId").asString().equals(relay.path("id").asString())
                            && s.path("kind").asString().equals("PRODUCER"));
        }
    }

    @Test
    void orchestrationIsOneTraceThroughTemporal() {
        Trace trace = placeAndCollect(Flow.ORCHESTRATION, "C-0953", List.of(
                new Hop(ORDER, "http post /orders"),
                new Hop(ORDER, "startworkflow:placeorderworkflow"),
                new Hop(Topology.SAGA_ORCHESTRATOR, "runworkflow:placeorderworkflow"),
                new Hop(Topology.SAGA_ORCHESTRATOR, "startactivity:reservestock"),
                new Hop(INVENTORY, "runactivity:reservestock"),
                new Hop(Topology.SAGA_ORCHESTRATOR, "startactivity:authorizepayment"),
                new Hop(PAYMENT, "runactivity:authorizepayment"),
                new Hop(Topology.SAGA_ORCHESTRATOR, "startactivity:confirmorder"),
                new Hop(ORDER, "runactivity:confirmorder"),
                // the activities' own database work, nested under them
                new Hop(INVENTORY, "query"),
                new Hop(PAYMENT, "query")));
        trace.assertOneTaggedTrace(ORDER, INVENTORY, PAYMENT, Topology.SAGA_ORCHESTRATOR);
    }

    @Test
    void twopcIsOneTraceThroughTheCoordinatorAndEveryParticipant() {
        List<Hop> hops = new ArrayList<>(List.of(
                new Hop(ORDER, "http post /orders"),
                new Hop(ORDER, "http post"),
                new Hop(Topology.TWOPC_COORDINATOR, "http post /transactions"),
                new Hop(Topology.TWOPC_COORDINATOR, "http post")));
        for (String participant : List.of(ORDER, INVENTORY, PAYMENT)) {
            hops.add(new Hop(participant, "http post /twopc/{gid}/prepare"));
        }
        hops.add(new Hop(INVENTORY, "http post /twopc/{gid}/commit"));
        hops.add(new Hop(PAYMENT, "http post /twopc/{gid}/commit"));
        Trace trace = placeAndCollect(Flow.TWOPC, "C-0954", hops);
        trace.assertOneTaggedTrace(ORDER, INVENTORY, PAYMENT, Topology.TWOPC_COORDINATOR);
        assertThat(trace.spans.stream().filter(s -> s.path("localEndpoint").path("serviceName").asString()
                .equals(Topology.TWOPC_COORDINATOR) && s.path("kind").asString().equals("CLIENT")).count())
                .as("coordinator calls: prepare on three participants, commit on two").isGreaterThanOrEqualTo(5);
        // order-service commits its own branch from the decision it is returned (ADR 56): no callback for it.
        assertThat(trace.hops()).as("commit requests served by order-service")
                .doesNotContain(new Hop(ORDER, "http post /twopc/{gid}/commit"));
    }

    @Test
    void cockroachIsOneTraceOfTheRequestAndItsTransaction() {
        Trace trace = placeAndCollect(Flow.COCKROACH, "C-0955", List.of(
                new Hop(ORDER, "http post /orders"),
                new Hop(ORDER, "connection"),
                new Hop(ORDER, "query")));
        trace.assertOneTaggedTrace(ORDER);
        assertThat(trace.spans.stream().filter(s -> s.path("name").asString().equals("query")).count())
                .as("the order's statements in the serializable transaction").isGreaterThanOrEqualTo(3);
    }

    /**
     * Sampling is parent-based: a caller's {@code traceparent} decides for its order, whatever the stack's own
     * probability (1.0 here). An unsampled one (flag 00) keeps its trace id (in {@code X-Trace-Id}, in the logs) but
     * nothing reaches Zipkin; a sampled one (01) is recorded under the caller's trace id. This is what lets the load
     * generator compare traced and untraced orders in the same run.
     */
    @Test
    void theCallersSamplingDecisionHoldsForTheWholeOrder() {
        String unsampled = randomHex(32);
        OrdersClient.Response off = placeWithTraceparent("00-" + unsampled + "-" + randomHex(16) + "-00", "C-0956");
        assertThat(off.traceId()).isEqualTo(unsampled);
        stack.orders().awaitFinal(off.orderId(), Duration.ofSeconds(60));

        String sampled = randomHex(32);
        OrdersClient.Response on = placeWithTraceparent("00-" + sampled + "-" + randomHex(16) + "-01", "C-0957");
        assertThat(on.traceId()).isEqualTo(sampled);
        stack.orders().awaitFinal(on.orderId(), Duration.ofSeconds(60));

        // The sampled order's last hop reached Zipkin, and the services export in order: had the unsampled order
        // (final earlier) been recorded, its spans would be there by now.
        Instant deadline = Instant.now().plus(COLLECTED);
        while (new Trace(Flow.CHOREOGRAPHY, on.orderId(), sampled, fetch(sampled)).missing(kafkaHops()).size() > 0) {
            assertThat(Instant.now()).as("sampled trace %s complete in Zipkin", sampled).isBefore(deadline);
            pause();
        }
        assertThat(fetch(unsampled)).as("spans of the unsampled order").isEmpty();
    }

    private OrdersClient.Response placeWithTraceparent(String traceparent, String customer) {
        String body = "{\"customerId\":\"" + customer + "\",\"flow\":\"choreography\","
                + "\"lines\":[{\"sku\":\"SKU-0001\",\"quantity\":1,\"unitPrice\":11.00}]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url(ORDER) + "/orders"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return new OrdersClient.Response(response.statusCode(), JSON.readTree(response.body()),
                    response.headers().firstValue("X-Trace-Id").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String randomHex(int length) {
        StringBuilder hex = new StringBuilder();
        while (hex.length() < length) {
            hex.append(UUID.randomUUID().toString().replace("-", ""));
        }
        return hex.substring(0, length);
    }

    /** Order → inventory → payment → order over Kafka, the same hops for choreography and outbox. */
    private static List<Hop> kafkaHops() {
        return List.of(
                new Hop(ORDER, "http post /orders"),
                new Hop(ORDER, "order.events send"),
                new Hop(INVENTORY, "order.events process"),
                new Hop(INVENTORY, "inventory.events send"),
                new Hop(PAYMENT, "inventory.events process"),
                new Hop(PAYMENT, "payment.events send"),
                new Hop(ORDER, "payment.events process"));
    }

    private Trace placeAndCollect(Flow flow, String customer, List<Hop> expected) {
        OrdersClient.Response placed = stack.orders().place(flow, customer, Orders.happy());
        assertThat(placed.status()).as("%s: %s", flow, placed.body()).isEqualTo(201);
        assertThat(placed.traceId()).as("X-Trace-Id").matches("[0-9a-f]{32}");
        UUID orderId = placed.orderId();
        assertThat(stack.orders().awaitFinal(orderId, Duration.ofSeconds(60)).path("status").asString())
                .isEqualTo("CONFIRMED");

        // Spans reach Zipkin in batches (every few seconds per service), a parent sometimes in a later batch than its
        // child (a workflow task's span ends after the activity it schedules): poll until every hop is there and every
        // span's parent with it. A parent still absent at the deadline fails assertOneTaggedTrace.
        Instant deadline = Instant.now().plus(COLLECTED);
        Trace trace = new Trace(flow, orderId, placed.traceId(), List.of());
        while (Instant.now().isBefore(deadline)) {
            trace = new Trace(flow, orderId, placed.traceId(), fetch(placed.traceId()));
            if (trace.missing(expected).isEmpty() && trace.parentsMissing().isEmpty()) {
                return trace;
            }
            pause();
        }
        if (trace.missing(expected).isEmpty()) {
            return trace;
        }
        throw new AssertionError(flow.id() + " order " + orderId + ", trace " + placed.traceId() + ": hops "
                + trace.missing(expected) + " not in Zipkin after " + COLLECTED + "; present: " + trace.hops());
    }

    private List<JsonNode> fetch(String traceId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.zipkinUrl() + "/api/v2/trace/" + traceId))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return List.of();
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return StreamSupport.stream(JSON.readTree(response.body()).spliterator(), false).toList();
        } catch (IOException e) {
            throw new IllegalStateException("Zipkin at " + stack.zipkinUrl() + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The spans Zipkin holds under one trace id. */
    record Trace(Flow flow, UUID orderId, String traceId, List<JsonNode> spans) {

        Set<Hop> hops() {
            Set<Hop> hops = new LinkedHashSet<>();
            spans.forEach(s -> hops.add(hopOf(s)));
            return hops;
        }

        List<Hop> missing(List<Hop> expected) {
            Set<Hop> present = hops();
            return expected.stream().filter(h -> !present.contains(h)).toList();
        }

        Set<String> spanIds() {
            Set<String> ids = new LinkedHashSet<>();
            spans.forEach(s -> ids.add(s.path("id").asString()));
            return ids;
        }

        /** Parent ids of spans of this trace that are not (yet) spans of it. */
        Set<String> parentsMissing() {
            Set<String> ids = spanIds();
            Set<String> missing = new LinkedHashSet<>();
            spans.stream().filter(s -> !s.path("parentId").isMissingNode())
                    .map(s -> s.path("parentId").asString()).filter(p -> !ids.contains(p)).forEach(missing::add);
            return missing;
        }

        JsonNode find(Hop hop) {
            return spans.stream().filter(s -> hopOf(s).equals(hop)).findFirst().orElseThrow();
        }

        /**
         * Tagged with the order id: from the {@code orderId} baggage, or - for the workflow's own spans, which
         * Temporal's interceptor starts from the OpenTracing shim without the baggage in their parent context - by
         * the platform's Temporal span builder, from the workflow id (the order id by construction of the saga).
         */
        private static boolean carriesOrder(JsonNode span, String order) {
            return order.equals(span.path("tags").path("orderId").asString());
        }

        private static boolean isTemporal(String spanName) {
            return spanName.startsWith("startworkflow:") || spanName.startsWith("runworkflow:")
                    || spanName.startsWith("startactivity:") || spanName.startsWith("runactivity:");
        }

        private static Hop hopOf(JsonNode span) {
            return new Hop(span.path("localEndpoint").path("serviceName").asString(), span.path("name").asString());
        }

        /**
         * Every span is in this trace and connected to it (its parent is a span of the trace, only the root has
         * none); the root is order-service's {@code POST /orders}, tagged with the order and flow; each of
         * {@code services} tagged its spans with the order id baggage.
         */
        void assertOneTaggedTrace(String... services) {
            String order = orderId.toString();
            assertThat(spans).allSatisfy(s -> assertThat(s.path("traceId").asString()).isEqualTo(traceId));
            Set<String> ids = spanIds();
            List<JsonNode> roots = spans.stream().filter(s -> s.path("parentId").isMissingNode()).toList();
            assertThat(roots).as("one root span").hasSize(1);
            JsonNode root = roots.get(0);
            assertThat(hopOf(root)).isEqualTo(new Hop(ORDER, "http post /orders"));
            assertThat(root.path("tags").path("order.id").asString()).isEqualTo(order);
            assertThat(root.path("tags").path("flow").asString()).isEqualTo(flow.id());
            assertThat(spans).as("every span hangs off a span of this trace")
                    .allSatisfy(s -> assertThat(s == root || ids.contains(s.path("parentId").asString()))
                            .as("parent of %s", hopOf(s)).isTrue());
            for (String service : services) {
                List<JsonNode> own = spans.stream()
                        .filter(s -> s.path("localEndpoint").path("serviceName").asString().equals(service))
                        .toList();
                assertThat(own).as("spans of %s", service).isNotEmpty();
                assertThat(own).as("%s spans tagged with the order id", service).anyMatch(s -> carriesOrder(s, order));
                assertThat(own).as("%s spans with an orderId tag carry this order's", service)
                        .allSatisfy(s -> assertThat(s.path("tags").path("orderId").asString(order))
                                .isEqualTo(order));
            }
            assertThat(spans.stream().filter(s -> isTemporal(s.path("name").asString())).toList())
                    .as("Temporal's spans (workflow and activities), each tagged with the order id")
                    .allSatisfy(s -> assertThat(carriesOrder(s, order)).as("orderId of %s", hopOf(s)).isTrue());
        }
    }
}

package io.txlab.order.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.order.Eventually;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.RecordingFlow;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.Orders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OrderApiIT extends OrderServiceTestContext {

    private static final String ORDER = """
            {"customerId":"C-0001","flow":"choreography","lines":[{"sku":"SKU-0001","quantity":2,"unitPrice":11.00}]}""";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;
    @Autowired
    OrderService orders;
    @Autowired
    RecordingFlow launcher;
    @Autowired
    FinalOrderWaiters waiters;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    io.txlab.order.order.OrderFlows flows;

    @AfterEach
    void referencesUp() {
        REFERENCES.down(false);
    }

    // --- placing -----------------------------------------------------------------------------------------------

    @Test
    void placesAnOrderAnswering201WithLocationAndStartsItsFlow() {
        Response created = post(Orders.newKey(), ORDER);

        assertThat(created.status()).isEqualTo(201);
        JsonNode order = created.json();
        String id = order.get("id").asString();
        assertThat(created.header("Location")).contains("http://localhost:" + port + "/orders/" + id);
        assertThat(order.get("customerId").asString()).isEqualTo("C-0001");
        assertThat(order.get("flow").asString()).isEqualTo("choreography");
        assertThat(order.get("status").asString()).isEqualTo("PENDING");
        assertThat(order.get("reason").isNull()).isTrue();
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(order.get("lines").get(0).get("sku").asString()).isEqualTo("SKU-0001");
        assertThat(order.get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
        assertThat(order.get("lines").get(0).get("unitPrice").decimalValue()).isEqualByComparingTo("11.00");
        assertThat(order.get("createdAt").asString()).isNotBlank();
        assertThat(order.get("completedAt").isNull()).isTrue();
        assertThat(launcher.starts(UUID.fromString(id)))
                .containsExactly(new RecordingFlow.Start(UUID.fromString(id), true));

        Response read = get("/orders/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(order);
    }

    @Test
    void theSameKeyAndBodyReplaysTheOrderWith200() {
        String key = Orders.newKey();
        Response created = post(key, ORDER);
        Counts before = counts();

        // The same request, written differently: other field order, other price scale.
        Response replayed = post(key, """
                {"lines":[{"unitPrice":11,"quantity":2,"sku":"SKU-0001"}],"flow":"choreography","customerId":"C-0001"}""");

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json()).isEqualTo(created.json());
        assertThat(replayed.header("Location")).isEqualTo(created.header("Location"));
        assertThat(counts()).isEqualTo(before);
        assertThat(launcher.starts(UUID.fromString(created.json().get("id").asString()))).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String key = Orders.newKey();
        post(key, ORDER);
        Counts before = counts();

        Response reused = post(key, ORDER.replace("\"quantity\":2", "\"quantity\":3"));

        assertProblem(reused, 422, "idempotency-key-reused", key);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aMissingIdempotencyKeyIs400() {
        Counts before = counts();

        Response response = send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(ORDER)));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
        assertThat(response.json().get("detail").asString()).contains("Idempotency-Key");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aBlankOrOverlongIdempotencyKeyIs400() {
        Counts before = counts();

        assertProblem(post("   ", ORDER), 400, "invalid-idempotency-key", "Idempotency-Key");
        assertProblem(post("k".repeat(201), ORDER), 400, "invalid-idempotency-key", "Idempotency-Key");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anUnknownFlowIs400ListingTheValidOnes() {
        Counts before = counts();

        Response response = post(Orders.newKey(), ORDER.replace("choreography", "carrier-pigeon"));

        assertProblem(response, 400, "unknown-flow", "carrier-pigeon");
        assertThat(response.json().get("detail").asString())
                .contains("choreography, outbox, orchestration, twopc, cockroach");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aFlowThisBuildDoesNotImplementIs422AndWritesNothing() {
        // Not in the test context's txlab.flows.enabled.
        io.txlab.contracts.Flow missing = io.txlab.contracts.Flow.OUTBOX;
        Counts before = counts();

        Response response = post(Orders.newKey(), ORDER.replace("choreography", missing.id()));

        assertProblem(response, 422, "flow-not-implemented",
                new io.txlab.order.order.FlowNotImplementedException(missing, flows.implemented()).getMessage());
        assertThat(counts()).isEqualTo(before);
    }

    static Stream<Arguments> invalidOrders() {
        String line = "{\"sku\":\"SKU-0001\",\"quantity\":1,\"unitPrice\":1.00}";
        String manyLines = IntStream.range(0, 101).mapToObj(i -> line).collect(Collectors.joining(","));
        return Stream.of(
                Arguments.of("blank customer", ORDER.replace("\"C-0001\"", "\" \""), "customerId"),
                Arguments.of("no customer", ORDER.replace("\"customerId\":\"C-0001\",", ""), "customerId"),
                Arguments.of("no flow", ORDER.replace("\"flow\":\"choreography\",", ""), "flow"),
                Arguments.of("no lines", ORDER.replaceAll("\\[.*]", "[]"), "lines"),
                Arguments.of("lines missing", "{\"customerId\":\"C-0001\",\"flow\":\"choreography\"}", "lines"),
                Arguments.of("101 lines", ORDER.replaceAll("\\[.*]", "[" + manyLines + "]"), "lines"),
                Arguments.of("null line", ORDER.replaceAll("\\[.*]", "[null]"), "lines[0]"),
                Arguments.of("blank sku", ORDER.replace("\"SKU-0001\"", "\"\""), "lines[0].sku"),
                Arguments.of("customer with a slash", ORDER.replace("\"C-0001\"", "\"C-0001/../x\""), "customerId"),
                Arguments.of("sku with NUL", ORDER.replace("\"SKU-0001\"", "\"SKU\\u00000001\""), "lines[0].sku"),
                Arguments.of("sku with a control character", ORDER.replace("\"SKU-0001\"", "\"SKU-\\u00070001\""),
                        "lines[0].sku"),
                Arguments.of("quantity 0", ORDER.replace("\"quantity\":2", "\"quantity\":0"), "lines[0].quantity"),
                Arguments.of("quantity 10001", ORDER.replace("\"quantity\":2", "\"quantity\":10001"),
                        "lines[0].quantity"),
                Arguments.of("no quantity", ORDER.replace("\"quantity\":2,", ""), "lines[0].quantity"),
                Arguments.of("price 0", ORDER.replace("11.00", "0"), "lines[0].unitPrice"),
                Arguments.of("negative price", ORDER.replace("11.00", "-1.00"), "lines[0].unitPrice"),
                Arguments.of("three decimals", ORDER.replace("11.00", "11.005"), "lines[0].unitPrice"),
                Arguments.of("no price", ORDER.replace(",\"unitPrice\":11.00", ""), "lines[0].unitPrice"),
                Arguments.of("deadline below 0.1 s", withDeadline("0.05"), "deadlineSeconds"),
                Arguments.of("deadline of a microsecond", withDeadline("1.0001"), "deadlineSeconds"),
                Arguments.of("negative deadline", withDeadline("-5"), "deadlineSeconds"));
    }

    private static String withDeadline(String seconds) {
        return ORDER.replace("\"flow\":\"choreography\",", "\"flow\":\"choreography\",\"deadlineSeconds\":" + seconds + ",");
    }

    @Test
    void anOrderCarriesTheCallersDeadlineOrTheServicesAndALongerOneThanAllowedIs400() {
        JsonNode asked = post(Orders.newKey(), withDeadline("2.5")).json();
        assertThat(Duration.between(Instant.parse(asked.get("createdAt").asString()),
                Instant.parse(asked.get("deadlineAt").asString()))).isEqualTo(Duration.ofMillis(2500));
        JsonNode stored = get("/orders/" + asked.get("id").asString()).json();
        assertThat(stored.get("deadlineAt")).isEqualTo(asked.get("deadlineAt"));

        JsonNode byDefault = post(Orders.newKey(), ORDER).json();
        assertThat(Duration.between(Instant.parse(byDefault.get("createdAt").asString()),
                Instant.parse(byDefault.get("deadlineAt").asString()))).isEqualTo(Duration.ofMinutes(2));

        Counts before = counts();
        assertProblem(post(Orders.newKey(), withDeadline("3600.001")), 400, "invalid-deadline", "at most 3600");
        assertThat(counts()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOrders")
    void anInvalidOrderIs400NamingTheFieldAndWritesNothing(String name, String body, String field) {
        Counts before = counts();

        Response response = post(Orders.newKey(), body);

        assertProblem(response, 400, "invalid-request", field);
        assertThat(response.json().get("errors").findValuesAsString("field")).contains(field);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aFractionalQuantityIs400NotTruncatedAndWritesNothing() {
        Counts before = counts();

        Response response = post(Orders.newKey(), ORDER.replace("\"quantity\":2", "\"quantity\":2.9"));

        assertProblem(response, 400, "malformed-request", "");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void malformedJsonIs400AndWritesNothing() {
        Counts before = counts();

        assertProblem(post(Orders.newKey(), "{\"customerId\":"), 400, "malformed-request", "JSON");
        assertProblem(post(Orders.newKey(), ORDER.replace("2,", "\"two\",")), 400, "malformed-request", "");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void unknownSkusAre422NamingEachAndWriteNothing() {
        Counts before = counts();

        Response response = post(Orders.newKey(), """
                {"customerId":"C-0001","flow":"choreography","lines":[
                  {"sku":"SKU-0001","quantity":1,"unitPrice":1.00},
                  {"sku":"NOPE-1","quantity":1,"unitPrice":1.00},
                  {"sku":"NOPE-2","quantity":1,"unitPrice":1.00}]}""");

        assertProblem(response, 422, "unknown-sku", "NOPE-1, NOPE-2");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aUnitPriceOtherThanTheCataloguesIs422ListingEachLineAndWritesNothing() {
        Counts before = counts();

        // SKU-0001 costs 11.00 in the catalogue; SKU-0002 (12.00) is offered at its price and passes.
        Response response = post(Orders.newKey(), """
                {"customerId":"C-0001","flow":"choreography","lines":[
                  {"sku":"SKU-0001","quantity":1,"unitPrice":0.01},
                  {"sku":"SKU-0002","quantity":1,"unitPrice":12}]}""");

        assertProblem(response, 422, "price-mismatch", "SKU-0001 (offered 0.01, catalogue 11.00)");
        assertThat(response.json().get("lines")).hasSize(1);
        assertThat(response.json().get("lines").get(0).get("catalogue").decimalValue()).isEqualByComparingTo("11.00");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anUnknownCustomerIs422AndWritesNothing() {
        Counts before = counts();

        Response response = post(Orders.newKey(), ORDER.replace("C-0001", "C-9999"));

        assertProblem(response, 422, "unknown-customer", "C-9999");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anUnreachableInventoryServiceIs503AndWritesNothing() {
        Counts before = counts();
        REFERENCES.down(true);

        // A customer and a SKU this process has never validated, so the cache cannot answer.
        Response response = post(Orders.newKey(), ORDER.replace("C-0001", "C-0777").replace("SKU-0001", "SKU-0777")
                .replace("11.00", "67.00"));

        assertProblem(response, 503, "dependency-unavailable", "inventory-service");
        assertThat(response.header("Retry-After")).contains("1");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anUnreachablePaymentServiceDoesNotRefuseTheOrderItsFlowChecksTheCustomer() {
        REFERENCES.customersDown(true);
        try {
            // A customer this process has never validated: only payment-service could say whether it exists.
            Response response = post(Orders.newKey(), ORDER.replace("C-0001", "C-0778"));

            assertThat(response.status()).as(response.body()).isEqualTo(201);
            assertThat(response.json().get("status").asString()).isEqualTo("PENDING");
        } finally {
            REFERENCES.customersDown(false);
        }
    }

    // --- reading and long-polling -----------------------------------------------------------------------------

    @Test
    void anUnknownOrderIs404() {
        UUID unknown = UUID.randomUUID();

        assertProblem(get("/orders/" + unknown), 404, "order-not-found", unknown.toString());
        assertProblem(get("/orders/" + unknown + "?waitForFinal=5s"), 404, "order-not-found", unknown.toString());
    }

    @Test
    void aMalformedOrderIdIs400() {
        Response response = get("/orders/not-a-uuid");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).contains("application/problem+json");
    }

    @Test
    void anInvalidWaitIs400() {
        String id = placedOrderId();

        assertProblem(get("/orders/" + id + "?waitForFinal=soon"), 400, "invalid-wait", "soon");
        assertProblem(get("/orders/" + id + "?waitForFinal=31s"), 400, "invalid-wait", "between 0 and 30s");
    }

    @Test
    void aLongPollAnswersAsSoonAsTheOrderIsConfirmed() throws Exception {
        String id = placedOrderId();
        long started = System.nanoTime();

        CompletableFuture<Response> poll = sendAsync(get("/orders/" + id + "?waitForFinal=20s", true));
        Eventually.until("the long-poll is registered", Duration.ofSeconds(10), () -> waiters.waiting() > 0);
        orders.confirm(UUID.fromString(id));
        Response response = poll.get(15, TimeUnit.SECONDS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(response.json().get("completedAt").isNull()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        Eventually.until("the waiter is gone", Duration.ofSeconds(5), () -> waiters.waiting() == 0);
    }

    @Test
    void aLongPollSeesAChangeMadeOutsideThisProcess() throws Exception {
        String id = placedOrderId();
        long started = System.nanoTime();

        CompletableFuture<Response> poll = sendAsync(get("/orders/" + id + "?waitForFinal=PT20S", true));
        Eventually.until("the long-poll is registered", Duration.ofSeconds(10), () -> waiters.waiting() > 0);
        // Like another replica: the row changes and no event reaches this process.
        jdbc.sql("UPDATE purchase_order SET status = 'CANCELLED', reason = 'OUT_OF_STOCK', completed_at = now()"
                + " WHERE id = ?").param(UUID.fromString(id)).update();
        Response response = poll.get(15, TimeUnit.SECONDS);

        assertThat(response.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(response.json().get("reason").asString()).isEqualTo("OUT_OF_STOCK");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aLongPollReturnsThePendingOrderWhenTheWaitElapses() throws Exception {
        String id = placedOrderId();
        long started = System.nanoTime();

        Response response = get("/orders/" + id + "?waitForFinal=500ms");

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aLongPollOnAFinalOrderAnswersAtOnce() {
        String id = placedOrderId();
        orders.cancel(UUID.fromString(id), "INSUFFICIENT_FUNDS");
        long started = System.nanoTime();

        Response response = get("/orders/" + id + "?waitForFinal=30s");

        assertThat(response.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aPostPreferringAWaitAnswersOnceTheOrderIsFinal() throws Exception {
        String key = Orders.newKey();
        long started = System.nanoTime();

        CompletableFuture<Response> placing = sendAsync(post(key, ORDER, "respond-async, wait=20"));
        Eventually.until("the POST waits", Duration.ofSeconds(10), () -> waiters.waiting() > 0);
        UUID id = orderIdOf(key);
        assertThat(launcher.starts(id)).hasSize(1);
        orders.confirm(id);
        Response created = placing.get(15, TimeUnit.SECONDS);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).contains("http://localhost:" + port + "/orders/" + id);
        assertThat(created.header("Preference-Applied")).contains("wait=20");
        assertThat(created.json().get("id").asString()).isEqualTo(id.toString());
        assertThat(created.json().get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        Eventually.until("the waiter is gone", Duration.ofSeconds(5), () -> waiters.waiting() == 0);
    }

    @Test
    void aPostAnswersTheStateItsFlowLeftWhenTheFlowFinishedBeforeTheAnswer() {
        launcher.confirmNext();

        Response created = post(Orders.newKey(), ORDER);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("status").asString()).isEqualTo("CONFIRMED");
    }

    @Test
    void aPostPreferringAWaitOfAnOrderItsFlowFinishedAlreadyAnswersWithoutWaiting() {
        launcher.confirmNext();

        Response created = send(post(Orders.newKey(), ORDER, "wait=20"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("status").asString()).isEqualTo("CONFIRMED");
        // Answered from this process's own finalization, not by the waiters' next tick (which would apply the wait).
        assertThat(created.header("Preference-Applied")).as("answered without waiting").isEmpty();
    }

    @Test
    void aPostPreferringAWaitAnswersThePendingOrderWhenTheWaitElapses() {
        long started = System.nanoTime();

        Response created = send(post(Orders.newKey(), ORDER, "wait=1"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Preference-Applied")).contains("wait=1");
        assertThat(created.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aReplayPreferringAWaitOfAFinalOrderAnswersAtOnceWith200() {
        String key = Orders.newKey();
        Response created = post(key, ORDER);
        orders.cancel(UUID.fromString(created.json().get("id").asString()), "OUT_OF_STOCK");
        long started = System.nanoTime();

        Response replayed = send(post(key, ORDER, "wait=30"));

        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(replayed.header("Preference-Applied")).as("answered without waiting").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void manyLongPollsHoldNoServletThreads() throws Exception {
        // More waiters than Tomcat's 200 worker threads: if each parked a thread, the GET below would queue.
        List<String> ids = IntStream.range(0, 250).mapToObj(i -> placedOrderId()).toList();
        List<CompletableFuture<Response>> polls = ids.stream()
                .map(id -> sendAsync(get("/orders/" + id + "?waitForFinal=25s", true)))
                .toList();
        Eventually.until("all long-polls are registered", Duration.ofSeconds(20), () -> waiters.waiting() >= 250);

        Response plain = get("/orders/" + ids.get(0));
        assertThat(plain.status()).isEqualTo(200);

        ids.forEach(id -> orders.confirm(UUID.fromString(id)));
        for (CompletableFuture<Response> poll : polls) {
            assertThat(poll.get(15, TimeUnit.SECONDS).json().get("status").asString()).isEqualTo("CONFIRMED");
        }
    }

    @Test
    void longPollsBeyondTheCapAre503AtOnceWhileReadsStillAnswer() throws Exception {
        List<String> ids = IntStream.range(0, MAX_LONG_POLLS).mapToObj(i -> placedOrderId()).toList();
        List<CompletableFuture<Response>> polls = ids.stream()
                .map(id -> sendAsync(get("/orders/" + id + "?waitForFinal=25s", true)))
                .toList();
        Eventually.until("the cap is reached", Duration.ofSeconds(20), () -> waiters.waiting() >= MAX_LONG_POLLS);

        String one = placedOrderId();
        Response refused = get("/orders/" + one + "?waitForFinal=25s");
        assertProblem(refused, 503, "long-poll-capacity", MAX_LONG_POLLS + " long-polls are waiting");
        assertThat(refused.header("Retry-After")).contains("1");
        assertThat(get("/orders/" + one).status()).isEqualTo(200);
        // A POST preferring a wait is no long-poll to refuse: the order is placed and answered as it is, at once.
        long started = System.nanoTime();
        Response placed = send(post(Orders.newKey(), ORDER, "wait=25"));
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.json().get("status").asString()).isEqualTo("PENDING");
        assertThat(placed.header("Preference-Applied")).as("after %s ms, %s waiting",
                (System.nanoTime() - started) / 1_000_000, waiters.waiting()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        ids.forEach(id -> orders.confirm(UUID.fromString(id)));
        for (CompletableFuture<Response> poll : polls) {
            assertThat(poll.get(15, TimeUnit.SECONDS).json().get("status").asString()).isEqualTo("CONFIRMED");
        }
        // Capacity is given back as the polls complete.
        Eventually.until("the waiters are gone", Duration.ofSeconds(10), () -> waiters.waiting() == 0);
        orders.confirm(UUID.fromString(one));
        assertThat(get("/orders/" + one + "?waitForFinal=1s").json().get("status").asString()).isEqualTo("CONFIRMED");
    }

    @Test
    void exposesProbesAndPrometheusMetrics() {
        assertThat(get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
        Response metrics = get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private String placedOrderId() {
        return flows.place(Orders.newKey(), Orders.choreography()).order().id().toString();
    }

    private static void assertProblem(Response response, int status, String type, String detailContains) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).hasValueSatisfying(
                value -> assertThat(value).startsWith("application/problem+json"));
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).endsWith("/" + type);
        assertThat(problem.get("detail").asString()).contains(detailContains);
    }

    private record Counts(long orders, long lines, long keys) {
    }

    private Counts counts() {
        return new Counts(count("purchase_order"), count("order_line"), count("idempotency_key"));
    }

    private long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private Response post(String key, String body) {
        return send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder post(String key, String body, String prefer) {
        return HttpRequest.newBuilder(uri("/orders")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .header("Prefer", prefer)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private UUID orderIdOf(String idempotencyKey) {
        return jdbc.sql("SELECT id FROM purchase_order WHERE idempotency_key = ?").param(idempotencyKey)
                .query(UUID.class).single();
    }

    private Response get(String path) {
        return send(get(path, false));
    }

    private HttpRequest.Builder get(String path, boolean longPoll) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(longPoll ? 60 : 30)).GET();
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            return Response.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    private static CompletableFuture<Response> sendAsync(HttpRequest.Builder request) {
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(Response::of);
    }

    private record Response(int status, HttpResponse<String> raw, String body) {

        static Response of(HttpResponse<String> raw) {
            return new Response(raw.statusCode(), raw, raw.body());
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        JsonNode json() {
            return JsonMapper.shared().readTree(body);
        }
    }
}

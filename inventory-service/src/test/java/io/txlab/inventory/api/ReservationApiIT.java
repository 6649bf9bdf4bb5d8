package io.txlab.inventory.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.twopc.RequestSignature;
import io.txlab.devstack.testing.HttpCalls;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.inventory.InventoryTestContext;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class ReservationApiIT extends InventoryTestContext {

    private static final String PROBLEMS = "https://txlab.io/problems/";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    HttpCalls http;

    @BeforeEach
    void client() {
        // Signed like an internal caller: the write APIs refuse anything else (401).
        RequestSignature signature = new RequestSignature(TestInfra.INTERNAL_SECRET);
        http = new HttpCalls(port, signature::headers);
    }

    @Test
    void unsignedWritesAre401AndMoveNoStock() {
        HttpCalls anyone = new HttpCalls(port);
        UUID orderId = UUID.randomUUID();
        long before = count("SELECT available FROM product WHERE sku = 'SKU-0109'");

        assertProblem(anyone.post("/reservations", UUID.randomUUID().toString(), reserveBody(orderId, "SKU-0109", 1)),
                401, "internal-request-unauthenticated", "");
        assertThat(count("SELECT available FROM product WHERE sku = 'SKU-0109'")).isEqualTo(before);
        assertThat(http.post("/reservations", UUID.randomUUID().toString(), reserveBody(orderId, "SKU-0109", 1))
                .status()).isEqualTo(201);
        assertProblem(anyone.post("/reservations/" + orderId + "/release", UUID.randomUUID().toString(), ""),
                401, "internal-request-unauthenticated", "");
        assertThat(http.get("/reservations/" + orderId).json().get("status").asString()).isEqualTo("RESERVED");
    }

    @Test
    void readsProductsAndOneProduct() {
        HttpCalls.Reply one = http.get("/products/SKU-0100");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("sku").asString()).isEqualTo("SKU-0100");
        assertThat(one.json().get("price").decimalValue()).isEqualByComparingTo("20.00");

        // HOT-01 and LOCKED-0001..0100 sort before SKU-0001
        HttpCalls.Reply page = http.get("/products?offset=1100&limit=3");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().valueStream().map(p -> p.get("sku").asString()).toList())
                .containsExactly("SKU-1000", "SOLDOUT-01", "SOLDOUT-02");

        assertProblem(http.get("/products?limit=0"), 400, "invalid-request", "must be greater than 0");
    }

    @Test
    void anUnknownProductIsAProblem() {
        HttpCalls.Reply reply = http.get("/products/NO-SUCH-SKU");

        assertProblem(reply, 404, "product-not-found", "NO-SUCH-SKU");
    }

    @Test
    void reservesAndReplaysTheSameKey() {
        UUID orderId = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = reserveBody(orderId, "SKU-0101", 2);
        int before = available("SKU-0101");

        HttpCalls.Reply created = http.post("/reservations", key, body);
        HttpCalls.Reply replayed = http.post("/reservations", key, body);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).isEqualTo("/reservations/" + orderId);
        assertThat(created.json().get("status").asString()).isEqualTo("RESERVED");
        assertThat(created.json().get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json()).isEqualTo(created.json());
        assertThat(available("SKU-0101")).isEqualTo(before - 2);
        assertThat(http.get("/reservations/" + orderId).json()).isEqualTo(created.json());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndWritesNothing() {
        String key = UUID.randomUUID().toString();
        http.post("/reservations", key, reserveBody(UUID.randomUUID(), "SKU-0102", 1));
        Snapshot before = snapshot();

        HttpCalls.Reply reply = http.post("/reservations", key, reserveBody(UUID.randomUUID(), "SKU-0102", 2));

        assertProblem(reply, 422, "idempotency-key-reused", key);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anotherKeyForAnOrderReservedWithOtherLinesIsAConflictAndWritesNothing() {
        UUID orderId = UUID.randomUUID();
        http.post("/reservations", UUID.randomUUID().toString(), reserveBody(orderId, "SKU-0103", 1));
        Snapshot before = snapshot();

        HttpCalls.Reply sameLines = http.post("/reservations", UUID.randomUUID().toString(),
                reserveBody(orderId, "SKU-0103", 1));
        assertThat(sameLines.status()).isEqualTo(200);
        Snapshot afterSameLines = snapshot();
        assertThat(afterSameLines.keys()).isEqualTo(before.keys() + 1);
        assertThat(afterSameLines.withKeys(before.keys())).isEqualTo(before);

        HttpCalls.Reply otherLines = http.post("/reservations", UUID.randomUUID().toString(),
                reserveBody(orderId, "SKU-0103", 5));
        assertProblem(otherLines, 409, "reservation-conflict", orderId.toString());
        assertThat(snapshot()).isEqualTo(afterSameLines);
    }

    @Test
    void aMissingIdempotencyKeyIsRefusedAndWritesNothing() {
        Snapshot before = snapshot();

        HttpCalls.Reply reply = http.post("/reservations", null, reserveBody(UUID.randomUUID(), "SKU-0104", 1));

        assertProblem(reply, 400, null, "Idempotency-Key");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anUnusableIdempotencyKeyIsRefusedAndWritesNothing() {
        Snapshot before = snapshot();

        assertProblem(http.post("/reservations", "", reserveBody(UUID.randomUUID(), "SKU-0104", 1)),
                400, null, "Idempotency-Key");
        assertProblem(http.post("/reservations", "k".repeat(201), reserveBody(UUID.randomUUID(), "SKU-0104", 1)),
                400, null, "Idempotency-Key");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void malformedJsonIsRefusedAndWritesNothing() {
        Snapshot before = snapshot();

        HttpCalls.Reply reply = http.post("/reservations", UUID.randomUUID().toString(), "{\"orderId\": \"abc\", ");

        assertProblem(reply, 400, "malformed-request", "not valid JSON");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void invalidFieldsAreListedAndNothingIsWritten() {
        Snapshot before = snapshot();

        HttpCalls.Reply missing = http.post("/reservations", UUID.randomUUID().toString(),
                "{\"lines\":[{\"sku\":\"SKU-0105\"}]}");
        assertProblem(missing, 400, "invalid-request", "orderId");
        assertThat(fields(missing)).containsExactlyInAnyOrder("orderId", "lines[0].quantity");

        HttpCalls.Reply notPositive = http.post("/reservations", UUID.randomUUID().toString(),
                "{\"orderId\":\"" + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"SKU-0105\",\"quantity\":0},"
                        + "{\"sku\":\"\",\"quantity\":-1}]}");
        assertProblem(notPositive, 400, "invalid-request", "quantity");
        assertThat(fields(notPositive))
                .containsExactlyInAnyOrder("lines[0].quantity", "lines[1].quantity", "lines[1].sku");

        HttpCalls.Reply noLines = http.post("/reservations", UUID.randomUUID().toString(),
                "{\"orderId\":\"" + UUID.randomUUID() + "\",\"lines\":[]}");
        assertProblem(noLines, 400, "invalid-request", "lines");

        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anUnknownSkuIsRefusedAndWritesNothing() {
        UUID orderId = UUID.randomUUID();
        Snapshot before = snapshot();
        String body = "{\"orderId\":\"" + orderId + "\",\"lines\":[{\"sku\":\"SKU-0106\",\"quantity\":1},"
                + "{\"sku\":\"NOPE-2\",\"quantity\":1},{\"sku\":\"NOPE-1\",\"quantity\":1}]}";

        HttpCalls.Reply reply = http.post("/reservations", UUID.randomUUID().toString(), body);

        assertProblem(reply, 422, "unknown-sku", "NOPE-1, NOPE-2");
        assertThat(reply.json().get("sku").valueStream().map(JsonNode::asString).toList())
                .containsExactly("NOPE-1", "NOPE-2");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(http.get("/reservations/" + orderId).status()).isEqualTo(404);
    }

    @Test
    void outOfStockReservesNothingAndReplaysTheSameAnswer() {
        UUID orderId = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"orderId\":\"" + orderId + "\",\"lines\":[{\"sku\":\"SKU-0107\",\"quantity\":1},"
                + "{\"sku\":\"SOLDOUT-05\",\"quantity\":1}]}";
        Snapshot before = snapshot();

        HttpCalls.Reply reply = http.post("/reservations", key, body);

        assertProblem(reply, 409, "out-of-stock", orderId.toString());
        Snapshot after = snapshot();
        assertThat(after.stock()).isEqualTo(before.stock());
        assertThat(after.lines()).isEqualTo(before.lines());
        // The refusal itself is recorded (so every later reserve of this order gets the same answer).
        assertThat(after.reservations()).isEqualTo(before.reservations() + 1);
        assertThat(http.get("/reservations/" + orderId).json().get("reason").asString()).isEqualTo("OUT_OF_STOCK");

        assertProblem(http.post("/reservations", key, body), 409, "out-of-stock", orderId.toString());
        assertThat(snapshot()).isEqualTo(after);
    }

    @Test
    void anOversizedBodyIsRefusedAndWritesNothing() {
        Snapshot before = snapshot();
        String huge = "{\"orderId\":\"" + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"" + "X".repeat(70_000)
                + "\",\"quantity\":1}]}";

        assertProblem(http.post("/reservations", UUID.randomUUID().toString(), huge), 413, "payload-too-large",
                "65536");
        assertProblem(http.postChunked("/reservations", UUID.randomUUID().toString(), huge), 413,
                "payload-too-large", "65536");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void releaseReturnsTheStockOnceAndReplays() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0108");
        http.post("/reservations", UUID.randomUUID().toString(), reserveBody(orderId, "SKU-0108", 4));
        String key = UUID.randomUUID().toString();

        HttpCalls.Reply released = http.post("/reservations/" + orderId + "/release", key, "");
        HttpCalls.Reply replayed = http.post("/reservations/" + orderId + "/release", key, "");
        HttpCalls.Reply again = http.post("/reservations/" + orderId + "/release", UUID.randomUUID().toString(), "");

        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().get("status").asString()).isEqualTo("RELEASED");
        assertThat(released.json().get("releasedAt").isNull()).isFalse();
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json()).isEqualTo(released.json());
        assertThat(again.json()).isEqualTo(released.json());
        assertThat(available("SKU-0108")).isEqualTo(before);
    }

    @Test
    void aConfirmedOrderIsNotReleasedAndWithoutOrderServicesAnswerNothingIs() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0110");
        http.post("/reservations", UUID.randomUUID().toString(), reserveBody(orderId, "SKU-0110", 3));

        ORDERS.status(orderId, "CONFIRMED");
        assertProblem(http.post("/reservations/" + orderId + "/release", UUID.randomUUID().toString(), ""),
                409, "order-confirmed", orderId.toString());
        assertThat(http.get("/reservations/" + orderId).json().get("status").asString()).isEqualTo("RESERVED");

        ORDERS.status(orderId, "PENDING");
        ORDERS.failing(true);
        try {
            assertProblem(http.post("/reservations/" + orderId + "/release", UUID.randomUUID().toString(), ""),
                    503, "order-state-unknown", "order-service answered 500");
        } finally {
            ORDERS.failing(false);
        }
        assertThat(available("SKU-0110")).isEqualTo(before - 3);

        // a PENDING order (an operator unsticking it) is released
        HttpCalls.Reply released = http.post("/reservations/" + orderId + "/release", UUID.randomUUID().toString(), "");
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().get("status").asString()).isEqualTo("RELEASED");
        assertThat(available("SKU-0110")).isEqualTo(before);
    }

    @Test
    void aReleaseBeforeTheReserveRefusesTheLateReserve() {
        UUID orderId = UUID.randomUUID();
        int before = available("SKU-0109");

        HttpCalls.Reply release = http.post("/reservations/" + orderId + "/release", UUID.randomUUID().toString(), "");
        HttpCalls.Reply late = http.post("/reservations", UUID.randomUUID().toString(),
                reserveBody(orderId, "SKU-0109", 1));

        assertThat(release.status()).isEqualTo(200);
        assertThat(release.json().get("status").asString()).isEqualTo("RELEASED");
        assertThat(release.json().get("lines").isEmpty()).isTrue();
        assertProblem(late, 409, "reservation-released", orderId.toString());
        assertThat(available("SKU-0109")).isEqualTo(before);
    }

    @Test
    void theSameReleaseKeyForAnotherOrderIsRefusedAndWritesNothing() {
        String key = UUID.randomUUID().toString();
        http.post("/reservations/" + UUID.randomUUID() + "/release", key, "");
        Snapshot before = snapshot();

        HttpCalls.Reply reply = http.post("/reservations/" + UUID.randomUUID() + "/release", key, "");

        assertProblem(reply, 422, "idempotency-key-reused", key);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void unknownAndMalformedReservationIdsAreProblems() {
        UUID orderId = UUID.randomUUID();
        assertProblem(http.get("/reservations/" + orderId), 404, "reservation-not-found", orderId.toString());
        assertProblem(http.get("/reservations/not-a-uuid"), 400, null, "orderId");
    }

    @Test
    void healthProbesAreUp() {
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        assertThat(http.get("/actuator/prometheus").body()).contains("hikaricp_connections_max");
    }

    private static String reserveBody(UUID orderId, String sku, int quantity) {
        return "{\"orderId\":\"" + orderId + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}";
    }

    private static void assertProblem(HttpCalls.Reply reply, int status, String type, String detailContains) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.isProblem()).as(reply.contentType()).isTrue();
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        if (type != null) {
            assertThat(problem.get("type").asString()).isEqualTo(PROBLEMS + type);
        }
        assertThat(problem.get("detail").asString()).contains(detailContains);
    }

    private static List<String> fields(HttpCalls.Reply reply) {
        return reply.json().get("errors").valueStream().map(error -> error.get("field").asString()).toList();
    }

    private int available(String sku) {
        return jdbc.sql("SELECT available FROM product WHERE sku = :sku").param("sku", sku).query(Integer.class).single();
    }

    /** Everything a request could write; equal snapshots mean a refused request left no trace. */
    private Snapshot snapshot() {
        return new Snapshot(
                count("SELECT count(*) FROM reservation"),
                count("SELECT count(*) FROM reservation_line"),
                count("SELECT coalesce(sum(available), 0) FROM product"),
                count("SELECT count(*) FROM idempotency_key"));
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    private record Snapshot(long reservations, long lines, long stock, long keys) {

        Snapshot withKeys(long keys) {
            return new Snapshot(reservations, lines, stock, keys);
        }
    }
}

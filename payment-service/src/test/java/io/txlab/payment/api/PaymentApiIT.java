package io.txlab.payment.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.twopc.RequestSignature;
import io.txlab.devstack.testing.HttpCalls;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.payment.PaymentTestContext;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class PaymentApiIT extends PaymentTestContext {

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
    void unsignedWritesAre401AndMoveNoMoney() {
        HttpCalls anyone = new HttpCalls(port);
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0109");

        assertProblem(anyone.post("/payments", UUID.randomUUID().toString(), authorizeBody(orderId, "C-0109", "25.00")),
                401, "internal-request-unauthenticated", "");
        assertThat(balance("C-0109")).isEqualByComparingTo(before);
        assertThat(http.post("/payments", UUID.randomUUID().toString(), authorizeBody(orderId, "C-0109", "25.00"))
                .status()).isEqualTo(201);
        assertProblem(anyone.post("/payments/" + orderId + "/refund", UUID.randomUUID().toString(), ""),
                401, "internal-request-unauthenticated", "");
        assertThat(http.get("/payments/" + orderId).json().get("status").asString()).isEqualTo("AUTHORIZED");
    }

    @Test
    void readsACustomer() {
        HttpCalls.Reply reply = http.get("/customers/BROKE-10");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("customerId").asString()).isEqualTo("BROKE-10");
        assertThat(reply.json().get("balance").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    void anUnknownCustomerIsAProblem() {
        assertProblem(http.get("/customers/NO-SUCH-CUSTOMER"), 404, "customer-not-found", "NO-SUCH-CUSTOMER");
    }

    @Test
    void authorizesAndReplaysTheSameKey() {
        UUID orderId = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        BigDecimal before = balance("C-0101");

        HttpCalls.Reply created = http.post("/payments", key, authorizeBody(orderId, "C-0101", "25.5"));
        // The same amount written differently is the same request.
        HttpCalls.Reply replayed = http.post("/payments", key, authorizeBody(orderId, "C-0101", "25.50"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).isEqualTo("/payments/" + orderId);
        assertThat(created.json().get("status").asString()).isEqualTo("AUTHORIZED");
        assertThat(created.json().get("amount").decimalValue()).isEqualByComparingTo("25.50");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json()).isEqualTo(created.json());
        assertThat(balance("C-0101")).isEqualByComparingTo(before.subtract(new BigDecimal("25.50")));
        assertThat(http.get("/payments/" + orderId).json()).isEqualTo(created.json());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndWritesNothing() {
        String key = UUID.randomUUID().toString();
        UUID orderId = UUID.randomUUID();
        http.post("/payments", key, authorizeBody(orderId, "C-0102", "1.00"));
        Snapshot before = snapshot();

        HttpCalls.Reply reply = http.post("/payments", key, authorizeBody(orderId, "C-0102", "2.00"));

        assertProblem(reply, 422, "idempotency-key-reused", key);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anotherKeyForAnOrderPaidDifferentlyIsAConflictAndWritesNothing() {
        UUID orderId = UUID.randomUUID();
        http.post("/payments", UUID.randomUUID().toString(), authorizeBody(orderId, "C-0103", "5.00"));
        Snapshot before = snapshot();

        HttpCalls.Reply same = http.post("/payments", UUID.randomUUID().toString(),
                authorizeBody(orderId, "C-0103", "5"));
        assertThat(same.status()).isEqualTo(200);
        Snapshot afterSame = snapshot();
        assertThat(afterSame.keys()).isEqualTo(before.keys() + 1);
        assertThat(afterSame.withKeys(before.keys())).isEqualTo(before);

        HttpCalls.Reply other = http.post("/payments", UUID.randomUUID().toString(),
                authorizeBody(orderId, "C-0103", "6.00"));
        assertProblem(other, 409, "payment-conflict", orderId.toString());
        assertThat(snapshot()).isEqualTo(afterSame);
    }

    @Test
    void aMissingOrUnusableIdempotencyKeyIsRefusedAndWritesNothing() {
        Snapshot before = snapshot();
        String body = authorizeBody(UUID.randomUUID(), "C-0104", "1.00");

        assertProblem(http.post("/payments", null, body), 400, null, "Idempotency-Key");
        assertProblem(http.post("/payments", "", body), 400, null, "Idempotency-Key");
        assertProblem(http.post("/payments", "k".repeat(201), body), 400, null, "Idempotency-Key");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void malformedJsonIsRefusedAndWritesNothing() {
        Snapshot before = snapshot();

        assertProblem(http.post("/payments", UUID.randomUUID().toString(), "{\"orderId\":"), 400,
                "malformed-request", "not valid JSON");
        assertProblem(http.post("/payments", UUID.randomUUID().toString(),
                "{\"orderId\":\"not-a-uuid\",\"customerId\":\"C-0104\",\"amount\":1}"), 400,
                "malformed-request", "not valid JSON");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void invalidFieldsAreListedAndNothingIsWritten() {
        Snapshot before = snapshot();

        HttpCalls.Reply missing = http.post("/payments", UUID.randomUUID().toString(), "{\"customerId\":\" \"}");
        assertProblem(missing, 400, "invalid-request", "amount");
        assertThat(fields(missing)).containsExactlyInAnyOrder("orderId", "customerId", "amount");

        for (String amount : List.of("0", "-5.00", "1.001")) {
            HttpCalls.Reply reply = http.post("/payments", UUID.randomUUID().toString(),
                    authorizeBody(UUID.randomUUID(), "C-0105", amount));
            assertProblem(reply, 400, "invalid-request", "amount");
            assertThat(fields(reply)).containsExactly("amount");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anUnknownCustomerIsRefusedAndWritesNothing() {
        UUID orderId = UUID.randomUUID();
        Snapshot before = snapshot();

        HttpCalls.Reply reply = http.post("/payments", UUID.randomUUID().toString(),
                authorizeBody(orderId, "NO-SUCH-CUSTOMER", "1.00"));

        assertProblem(reply, 422, "unknown-customer", "NO-SUCH-CUSTOMER");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(http.get("/payments/" + orderId).status()).isEqualTo(404);
    }

    @Test
    void insufficientFundsRecordsTheDeclineAndReplaysTheSameAnswer() {
        UUID orderId = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = authorizeBody(orderId, "BROKE-05", "10.00");
        Snapshot before = snapshot();

        HttpCalls.Reply reply = http.post("/payments", key, body);

        assertProblem(reply, 402, "insufficient-funds", "BROKE-05");
        Snapshot after = snapshot();
        assertThat(after.money()).isEqualByComparingTo(before.money());
        // The decline itself is recorded (so every later authorization of this order gets the same answer).
        assertThat(after.payments()).isEqualTo(before.payments() + 1);
        JsonNode declined = http.get("/payments/" + orderId).json();
        assertThat(declined.get("status").asString()).isEqualTo("DECLINED");
        assertThat(declined.get("reason").asString()).isEqualTo("INSUFFICIENT_FUNDS");

        assertProblem(http.post("/payments", key, body), 402, "insufficient-funds", "BROKE-05");
        assertThat(snapshot()).isEqualTo(after);
    }

    @Test
    void anOversizedBodyIsRefusedAndWritesNothing() {
        Snapshot before = snapshot();
        String huge = authorizeBody(UUID.randomUUID(), "C".repeat(70_000), "1.00");

        assertProblem(http.post("/payments", UUID.randomUUID().toString(), huge), 413, "payload-too-large", "65536");
        assertProblem(http.postChunked("/payments", UUID.randomUUID().toString(), huge), 413, "payload-too-large",
                "65536");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void refundCreditsOnceAndReplays() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0106");
        http.post("/payments", UUID.randomUUID().toString(), authorizeBody(orderId, "C-0106", "77.70"));
        String key = UUID.randomUUID().toString();

        HttpCalls.Reply refunded = http.post("/payments/" + orderId + "/refund", key, "");
        HttpCalls.Reply replayed = http.post("/payments/" + orderId + "/refund", key, "");
        HttpCalls.Reply again = http.post("/payments/" + orderId + "/refund", UUID.randomUUID().toString(), "");

        assertThat(refunded.status()).isEqualTo(200);
        assertThat(refunded.json().get("status").asString()).isEqualTo("REFUNDED");
        assertThat(refunded.json().get("refundedAt").isNull()).isFalse();
        assertThat(replayed.json()).isEqualTo(refunded.json());
        assertThat(again.json()).isEqualTo(refunded.json());
        assertThat(balance("C-0106")).isEqualByComparingTo(before);
    }

    @Test
    void aConfirmedOrderIsNotRefundedAndWithoutOrderServicesAnswerNothingIs() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0108");
        http.post("/payments", UUID.randomUUID().toString(), authorizeBody(orderId, "C-0108", "12.30"));
        BigDecimal charged = balance("C-0108");

        ORDERS.status(orderId, "CONFIRMED");
        assertProblem(http.post("/payments/" + orderId + "/refund", UUID.randomUUID().toString(), ""),
                409, "order-confirmed", orderId.toString());
        assertThat(http.get("/payments/" + orderId).json().get("status").asString()).isEqualTo("AUTHORIZED");

        ORDERS.status(orderId, "PENDING");
        ORDERS.failing(true);
        try {
            assertProblem(http.post("/payments/" + orderId + "/refund", UUID.randomUUID().toString(), ""),
                    503, "order-state-unknown", "order-service answered 500");
        } finally {
            ORDERS.failing(false);
        }
        assertThat(balance("C-0108")).isEqualByComparingTo(charged);

        // a PENDING order (an operator unsticking it) is refunded
        HttpCalls.Reply refunded = http.post("/payments/" + orderId + "/refund", UUID.randomUUID().toString(), "");
        assertThat(refunded.status()).isEqualTo(200);
        assertThat(refunded.json().get("status").asString()).isEqualTo("REFUNDED");
        assertThat(balance("C-0108")).isEqualByComparingTo(before);
    }

    @Test
    void aRefundBeforeTheAuthorizationRefusesTheLateAuthorization() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0107");

        HttpCalls.Reply refund = http.post("/payments/" + orderId + "/refund", UUID.randomUUID().toString(), "");
        HttpCalls.Reply late = http.post("/payments", UUID.randomUUID().toString(),
                authorizeBody(orderId, "C-0107", "1.00"));

        assertThat(refund.status()).isEqualTo(200);
        assertThat(refund.json().get("status").asString()).isEqualTo("REFUNDED");
        assertThat(refund.json().get("amount").decimalValue()).isEqualByComparingTo("0");
        assertProblem(late, 409, "payment-refunded", orderId.toString());
        assertThat(balance("C-0107")).isEqualByComparingTo(before);
    }

    @Test
    void unknownAndMalformedPaymentIdsAreProblems() {
        UUID orderId = UUID.randomUUID();
        assertProblem(http.get("/payments/" + orderId), 404, "payment-not-found", orderId.toString());
        assertProblem(http.get("/payments/not-a-uuid"), 400, null, "orderId");
    }

    @Test
    void healthProbesAreUp() {
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        assertThat(http.get("/actuator/prometheus").body()).contains("hikaricp_connections_max");
    }

    private static String authorizeBody(UUID orderId, String customerId, String amount) {
        return "{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customerId + "\",\"amount\":" + amount + "}";
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

    private BigDecimal balance(String customerId) {
        return jdbc.sql("SELECT balance FROM account WHERE customer_id = :id").param("id", customerId)
                .query(BigDecimal.class).single();
    }

    /** Everything a request could write; equal snapshots mean a refused request left no trace. */
    private Snapshot snapshot() {
        return new Snapshot(
                jdbc.sql("SELECT count(*) FROM payment").query(Long.class).single(),
                jdbc.sql("SELECT sum(balance) FROM account").query(BigDecimal.class).single(),
                jdbc.sql("SELECT count(*) FROM idempotency_key").query(Long.class).single());
    }

    private record Snapshot(long payments, BigDecimal money, long keys) {

        Snapshot withKeys(long keys) {
            return new Snapshot(payments, money, keys);
        }
    }
}

package io.txlab.payment.twopc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.RequestSignature;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.payment.PaymentTestContext;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payment branch of flow twopc over HTTP, against the service's real PostgreSQL database: a YES leaves a
 * prepared debit holding the account row, a decline leaves nothing (not even the DECLINED row), phase two is
 * idempotent.
 */
class PaymentParticipantIT extends PaymentTestContext {

    /** Signed as the coordinator signs: the participant endpoints refuse anything else (401). */
    private static final RequestSignature SIGNATURE = new RequestSignature(TestInfra.INTERNAL_SECRET);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void nothingLeftPrepared() {
        for (String gid : prepared()) {
            jdbc.sql("ROLLBACK PREPARED '" + gid + "'").update();
        }
    }

    @Test
    void yesLeavesAPreparedDebitHoldingTheAccountUntilCommit() {
        UUID orderId = UUID.randomUUID();
        String gid = Gid.of(orderId);
        BigDecimal before = balance("C-0501");

        JsonNode vote = post("/twopc/" + gid + "/prepare", authorize(orderId, "C-0501", "25.00"));

        assertThat(vote.get("vote").asString()).isEqualTo("YES");
        assertThat(prepared()).containsExactly(gid + ".payment");
        assertThat(balance("C-0501")).isEqualByComparingTo(before);
        assertThat(paymentCount(orderId)).isZero();
        assertThatThrownBy(() -> jdbc.sql("SELECT customer_id FROM account WHERE customer_id = 'C-0501' FOR UPDATE NOWAIT")
                .query(String.class).list())
                .isInstanceOf(DataAccessException.class)
                .hasMessageContaining("could not obtain lock");

        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("COMMITTED");
        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");

        assertThat(prepared()).isEmpty();
        assertThat(balance("C-0501")).isEqualByComparingTo(before.subtract(new BigDecimal("25.00")));
        assertThat(jdbc.sql("SELECT status FROM payment WHERE order_id = ?").param(orderId).query(String.class)
                .single()).isEqualTo("AUTHORIZED");
    }

    @Test
    void aDeclineVotesNoAndLeavesNothing() {
        UUID orderId = UUID.randomUUID();
        String gid = Gid.of(orderId);

        JsonNode vote = post("/twopc/" + gid + "/prepare", authorize(orderId, "BROKE-01", "10.00"));

        assertThat(vote.get("vote").asString()).isEqualTo("NO");
        assertThat(vote.get("reason").asString()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(prepared()).isEmpty();
        assertThat(paymentCount(orderId)).isZero();
        assertThat(post("/twopc/" + gid + "/rollback", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");
    }

    @Test
    void rollbackRestoresTheBalanceAndIsIdempotent() {
        UUID orderId = UUID.randomUUID();
        String gid = Gid.of(orderId);
        BigDecimal before = balance("C-0502");

        assertThat(post("/twopc/" + gid + "/prepare", authorize(orderId, "C-0502", "7.50")).get("vote").asString())
                .isEqualTo("YES");
        assertThat(post("/twopc/" + gid + "/rollback", "").get("result").asString()).isEqualTo("ROLLED_BACK");
        assertThat(post("/twopc/" + gid + "/rollback", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");

        assertThat(prepared()).isEmpty();
        assertThat(balance("C-0502")).isEqualByComparingTo(before);
        assertThat(paymentCount(orderId)).isZero();
    }

    private static String authorize(UUID orderId, String customerId, String amount) {
        return """
                {"orderId":"%s","customerId":"%s","amount":%s}""".formatted(orderId, customerId, amount);
    }

    private List<String> prepared() {
        return jdbc.sql("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND gid LIKE 'txlab\\_%'")
                .query(String.class).list();
    }

    private BigDecimal balance(String customerId) {
        return jdbc.sql("SELECT balance FROM account WHERE customer_id = ?").param(customerId)
                .query(BigDecimal.class).single();
    }

    private long paymentCount(UUID orderId) {
        return jdbc.sql("SELECT count(*) FROM payment WHERE order_id = ?").param(orderId).query(Long.class).single();
    }

    private JsonNode post(String path, String body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            SIGNATURE.headers("POST", path, body.getBytes(StandardCharsets.UTF_8)).forEach(request::header);
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed", e);
        }
    }
}

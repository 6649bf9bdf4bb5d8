package io.txlab.inventory.twopc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.RequestSignature;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.inventory.InventoryTestContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
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
 * The inventory branch of flow twopc over HTTP, against the service's real PostgreSQL database: what a YES leaves
 * behind (a prepared transaction holding the stock row lock, invisible to other readers until COMMIT PREPARED),
 * what a NO leaves (nothing), and idempotent phase two.
 */
class InventoryParticipantIT extends InventoryTestContext {

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
        // A failed assertion must not leave a branch holding product rows for the other tests.
        for (String gid : prepared()) {
            jdbc.sql("ROLLBACK PREPARED '" + gid + "'").update();
        }
    }

    @Test
    void yesLeavesAPreparedBranchHoldingTheStockRowUntilCommit() {
        UUID orderId = UUID.randomUUID();
        String gid = Gid.of(orderId);
        int before = available("SKU-0501");

        JsonNode vote = post("/twopc/" + gid + "/prepare", reserve(orderId, "SKU-0501", 3));

        assertThat(vote.get("vote").asString()).isEqualTo("YES");
        assertThat(prepared()).containsExactly(gid + ".inventory");
        // Other sessions see neither the reservation nor the stock taken, and cannot lock the row.
        assertThat(available("SKU-0501")).isEqualTo(before);
        assertThat(reservationCount(orderId)).isZero();
        assertThatThrownBy(() -> jdbc.sql("SELECT sku FROM product WHERE sku = 'SKU-0501' FOR UPDATE NOWAIT")
                .query(String.class).list())
                .isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("55P03"));

        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("COMMITTED");
        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");

        assertThat(prepared()).isEmpty();
        assertThat(available("SKU-0501")).isEqualTo(before - 3);
        assertThat(jdbc.sql("SELECT status FROM reservation WHERE order_id = ?").param(orderId).query(String.class)
                .single()).isEqualTo("RESERVED");
    }

    @Test
    void aRepeatedPrepareAnswersYesWithoutTakingStockTwice() {
        UUID orderId = UUID.randomUUID();
        String gid = Gid.of(orderId);
        int before = available("SKU-0502");

        assertThat(post("/twopc/" + gid + "/prepare", reserve(orderId, "SKU-0502", 2)).get("vote").asString())
                .isEqualTo("YES");
        assertThat(post("/twopc/" + gid + "/prepare", reserve(orderId, "SKU-0502", 2)).get("vote").asString())
                .isEqualTo("YES");
        // The same gid for another operation is not a repeat: refused, and the prepared branch is untouched.
        JsonNode other = post("/twopc/" + gid + "/prepare", reserve(orderId, "SKU-0502", 9));
        assertThat(other.get("vote").asString()).isEqualTo("NO");
        assertThat(other.get("reason").asString()).startsWith("CONFLICT");
        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("COMMITTED");

        assertThat(available("SKU-0502")).isEqualTo(before - 2);
    }

    @Test
    void outOfStockVotesNoAndLeavesNothing() {
        UUID orderId = UUID.randomUUID();
        String gid = Gid.of(orderId);

        JsonNode vote = post("/twopc/" + gid + "/prepare", reserve(orderId, "SOLDOUT-01", 1));

        assertThat(vote.get("vote").asString()).isEqualTo("NO");
        assertThat(vote.get("reason").asString()).isEqualTo("OUT_OF_STOCK");
        assertThat(prepared()).isEmpty();
        assertThat(reservationCount(orderId)).isZero();
        // The coordinator sends ROLLBACK to every participant on ABORT, including those that voted NO.
        assertThat(post("/twopc/" + gid + "/rollback", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");
    }

    @Test
    void rollbackReturnsEverythingAndIsIdempotent() {
        UUID orderId = UUID.randomUUID();
        String gid = Gid.of(orderId);
        int before = available("SKU-0503");

        assertThat(post("/twopc/" + gid + "/prepare", reserve(orderId, "SKU-0503", 4)).get("vote").asString())
                .isEqualTo("YES");
        assertThat(post("/twopc/" + gid + "/rollback", "").get("result").asString()).isEqualTo("ROLLED_BACK");
        assertThat(post("/twopc/" + gid + "/rollback", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");
        // a commit after the rollback is not a repeat: the branch says it went the other way
        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("RESOLVED_OTHERWISE");

        assertThat(prepared()).isEmpty();
        assertThat(available("SKU-0503")).isEqualTo(before);
        assertThat(reservationCount(orderId)).isZero();
        // The row is free again.
        assertThat(jdbc.sql("SELECT sku FROM product WHERE sku = 'SKU-0503' FOR UPDATE NOWAIT").query(String.class)
                .single()).isEqualTo("SKU-0503");
    }

    @Test
    void aPrepareBlockedByAPreparedBranchVotesNoAfterTheLockTimeout() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        assertThat(post("/twopc/" + Gid.of(first) + "/prepare", reserve(first, "SKU-0504", 1)).get("vote")
                .asString()).isEqualTo("YES");

        long started = System.nanoTime();
        JsonNode vote = post("/twopc/" + Gid.of(second) + "/prepare", reserve(second, "SKU-0504", 1));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(vote.get("vote").asString()).isEqualTo("NO");
        assertThat(vote.get("reason").asString()).startsWith("TECHNICAL_FAILURE").contains("lock timeout");
        // lock-timeout (2s) bounds the wait: below the coordinator's read timeout (3s).
        assertThat(waitedMillis).isBetween(1_500L, 2_900L);
        assertThat(prepared()).containsExactly(Gid.of(first) + ".inventory");
        assertThat(post("/twopc/" + Gid.of(first) + "/rollback", "").get("result").asString())
                .isEqualTo("ROLLED_BACK");
    }

    @Test
    void anUnsignedOrForgedRequestIs401AndPreparesNothing() throws Exception {
        UUID orderId = UUID.randomUUID();
        String gid = Gid.of(orderId);
        int before = available("SKU-0506");
        String body = reserve(orderId, "SKU-0506", 1);
        String path = "/twopc/" + gid + "/prepare";

        HttpResponse<String> unsigned = send(path, body, Map.of());
        HttpResponse<String> otherSecret = send(path, body, new RequestSignature("not-the-shared-secret")
                .headers("POST", path, body.getBytes(StandardCharsets.UTF_8)));
        // Signed for another body: a captured signature cannot carry a different operation.
        HttpResponse<String> otherBody = send(path, reserve(orderId, "SKU-0506", 500),
                SIGNATURE.headers("POST", path, body.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> commit = send("/twopc/" + gid + "/commit", "", Map.of());

        for (HttpResponse<String> response : List.of(unsigned, otherSecret, otherBody, commit)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(prepared()).noneMatch(g -> g.startsWith(gid));
        assertThat(available("SKU-0506")).isEqualTo(before);
        assertThat(reservationCount(orderId)).isZero();
    }

    @Test
    void anInvalidGidIsRefusedBeforeAnySql() throws Exception {
        HttpResponse<String> response = send("/twopc/txlab_x'%3B%20DROP%20TABLE%20product/prepare",
                reserve(UUID.randomUUID(), "SKU-0505", 1));
        assertThat(response.statusCode()).isEqualTo(400);
    }

    private static String reserve(UUID orderId, String sku, int quantity) {
        return """
                {"orderId":"%s","lines":[{"sku":"%s","quantity":%d}]}""".formatted(orderId, sku, quantity);
    }

    private List<String> prepared() {
        return jdbc.sql("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND gid LIKE 'txlab\\_%'")
                .query(String.class).list();
    }

    private int available(String sku) {
        return jdbc.sql("SELECT available FROM product WHERE sku = ?").param(sku).query(Integer.class).single();
    }

    private long reservationCount(UUID orderId) {
        return jdbc.sql("SELECT count(*) FROM reservation WHERE order_id = ?").param(orderId).query(Long.class).single();
    }

    private JsonNode post(String path, String body) {
        try {
            HttpResponse<String> response = send(path, body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("POST " + path + " failed", e);
        }
    }

    private HttpResponse<String> send(String path, String body) throws Exception {
        return send(path, body, SIGNATURE.headers("POST", path, body.getBytes(StandardCharsets.UTF_8)));
    }

    private HttpResponse<String> send(String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}

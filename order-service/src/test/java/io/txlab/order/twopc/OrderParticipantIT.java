package io.txlab.order.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.RequestSignature;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.order.Eventually;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.RecordedEvents;
import io.txlab.order.api.FinalOrderWaiters;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderRepository;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.platform.twopc.CommitListener;
import io.txlab.platform.twopc.CoordinatorClient;
import io.txlab.platform.twopc.ParticipantRecovery;
import io.txlab.platform.twopc.PreparedTransactions;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The order branch of flow twopc over HTTP against real PostgreSQL: the confirmation is prepared, invisible and
 * unannounced (no {@code OrderFinalized}, long-polls keep waiting) until COMMIT PREPARED; then it is announced once.
 */
class OrderParticipantIT extends OrderServiceTestContext {

    /** Signed as the coordinator signs: the participant endpoints refuse anything else (401). */
    private static final RequestSignature SIGNATURE = new RequestSignature(TestInfra.INTERNAL_SECRET);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    OrderRepository repository;
    @Autowired
    OrderService orders;
    @Autowired
    RecordedEvents events;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FinalOrderWaiters waiters;
    @Autowired
    PreparedTransactions transactions;
    /** What the auto-configured participant recovery tells of its commits: the order participant. */
    @Autowired
    CommitListener commitListener;

    @AfterEach
    void nothingLeftPrepared() {
        for (String gid : prepared()) {
            jdbc.sql("ROLLBACK PREPARED '" + gid + "'").update();
        }
    }

    @Test
    void theConfirmationIsInvisibleAndUnannouncedUntilCommitPrepared() throws Exception {
        Order order = pendingTwopcOrder();
        String gid = Gid.of(order.id());

        JsonNode vote = post("/twopc/" + gid + "/prepare", confirm(order.id()));

        assertThat(vote.get("vote").asString()).isEqualTo("YES");
        assertThat(prepared()).containsExactly(gid + ".order");
        assertThat(orders.find(order.id()).orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(events.finalized(order.id())).isEmpty();
        // A long-poll started while the branch is prepared answers PENDING at its deadline, never CONFIRMED.
        assertThat(get("/orders/" + order.id() + "?waitForFinal=600ms").get("status").asString())
                .isEqualTo("PENDING");

        CompletableFuture<JsonNode> waiting = CompletableFuture.supplyAsync(
                () -> get("/orders/" + order.id() + "?waitForFinal=10s"));
        Eventually.until("the long-poll is registered", Duration.ofSeconds(5),
                () -> waiting.isDone() || waiters.waiting() > 0);
        long started = System.nanoTime();
        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("COMMITTED");

        JsonNode woken = waiting.get();
        assertThat(woken.get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(orders.find(order.id()).orElseThrow().status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(events.finalized(order.id())).hasSize(1);
        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");
        assertThat(events.finalized(order.id())).hasSize(1);
    }

    @Test
    void aBranchCommittedByTheParticipantRecoveryIsAnnouncedOnce() {
        Order order = pendingTwopcOrder();
        String gid = Gid.of(order.id());
        assertThat(post("/twopc/" + gid + "/prepare", confirm(order.id())).get("vote").asString()).isEqualTo("YES");
        // The coordinator logged COMMIT, then could not deliver it (e.g. it died): the participant's recovery asks.
        CoordinatorClient decidedCommit = new CoordinatorClient(URI.create("http://127.0.0.1:9"), "") {
            @Override
            public Decision decide(String asked) {
                return new Decision(asked, asked.equals(gid) ? Decision.Value.COMMIT : Decision.Value.PENDING,
                        "epoch-1", false);
            }
        };
        ParticipantRecovery recovery = new ParticipantRecovery(transactions, decidedCommit, Duration.ofHours(1),
                Duration.ZERO, commitListener);

        assertThat(recovery.recoverOnce()).isEqualTo(1);

        assertThat(orders.find(order.id()).orElseThrow().status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(events.finalized(order.id())).as("announced, so txlab.orders.finished counts it").hasSize(1);
        assertThat(post("/twopc/" + gid + "/commit", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");
        assertThat(events.finalized(order.id())).hasSize(1);
    }

    @Test
    void rollbackLeavesTheOrderPendingAndUnannounced() {
        Order order = pendingTwopcOrder();
        String gid = Gid.of(order.id());

        assertThat(post("/twopc/" + gid + "/prepare", confirm(order.id())).get("vote").asString()).isEqualTo("YES");
        assertThat(post("/twopc/" + gid + "/rollback", "").get("result").asString()).isEqualTo("ROLLED_BACK");
        assertThat(post("/twopc/" + gid + "/rollback", "").get("result").asString()).isEqualTo("ALREADY_RESOLVED");

        assertThat(prepared()).isEmpty();
        assertThat(orders.find(order.id()).orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
        assertThat(events.finalized(order.id())).isEmpty();
    }

    @Test
    void anOrderThatIsNoLongerPendingVotesNo() {
        Order order = pendingTwopcOrder();
        orders.cancel(order.id(), "TECHNICAL_FAILURE");

        JsonNode vote = post("/twopc/" + Gid.of(order.id()) + "/prepare", confirm(order.id()));

        assertThat(vote.get("vote").asString()).isEqualTo("NO");
        assertThat(vote.get("reason").asString()).contains("CANCELLED");
        assertThat(prepared()).isEmpty();
    }

    @Test
    void anUnknownOrderOrAForeignGidVotesNo() {
        UUID unknown = UUID.randomUUID();
        assertThat(post("/twopc/" + Gid.of(unknown) + "/prepare", confirm(unknown)).get("vote").asString())
                .isEqualTo("NO");

        Order order = pendingTwopcOrder();
        JsonNode vote = post("/twopc/" + Gid.random() + "/prepare", confirm(order.id()));
        assertThat(vote.get("vote").asString()).isEqualTo("NO");
        assertThat(vote.get("reason").asString()).contains("does not belong");
        assertThat(prepared()).isEmpty();
        assertThat(orders.find(order.id()).orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
    }

    /** Inserted directly: placing it through the API would start the real launcher against no coordinator. */
    private Order pendingTwopcOrder() {
        Order order = new Order(UUID.randomUUID(), "C-0001", Flow.TWOPC, OrderStatus.PENDING, null,
                new BigDecimal("25.00"), List.of(new OrderLine("SKU-0001", 2, new BigDecimal("12.50"))),
                Instant.now().truncatedTo(ChronoUnit.MICROS), null);
        repository.insert(order, "twopc-it-" + order.id());
        return order;
    }

    private static String confirm(UUID orderId) {
        return "{\"orderId\":\"" + orderId + "\"}";
    }

    private List<String> prepared() {
        return jdbc.sql("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND gid LIKE 'txlab\\_%'")
                .query(String.class).list();
    }

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    private JsonNode post(String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        SIGNATURE.headers("POST", path, body.getBytes(StandardCharsets.UTF_8)).forEach(request::header);
        return send(request);
    }

    private static JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("call failed", e);
        }
    }
}

package io.txlab.twopc.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.PrepareRequest;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.TransactionOutcome;
import io.txlab.contracts.twopc.Vote;
import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.internal.SigningInterceptor;
import io.txlab.platform.twopc.PreparedTransaction;
import io.txlab.twopc.ParticipantStub;
import io.txlab.twopc.ParticipantStubs;
import io.txlab.twopc.monitor.InDoubtReport;
import io.txlab.twopc.monitor.InDoubtTransaction;
import io.txlab.twopc.monitor.InDoubtMonitor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The coordinator against three real participant databases (one PostgreSQL cluster, three databases, each behind an
 * in-test participant HTTP server using PreparedTransactions). Recovery runs only when a test calls it, standing for
 * "the coordinator restarted"; the crash points throw instead of halting so the test JVM survives.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "txlab.twopc.recovery-interval=1h",
        "txlab.twopc.phase-two-grace=0s",
        "txlab.twopc.prepare-timeout=2s",
        "txlab.twopc.monitor.refresh-interval=1h",
        "txlab.internal.secret=" + TestInfra.INTERNAL_SECRET})
class CoordinatorIT {

    static final AtomicReference<String> CRASH_AT = new AtomicReference<>();
    private static final ParticipantStubs PARTICIPANTS = new ParticipantStubs("order", "inventory", "payment");
    /** An allowed participant that takes connections and never answers: a hung process, or a partition. */
    private static final ServerSocket SILENT = silent();

    private static ServerSocket silent() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestConfiguration
    static class SimulatedCrashes {
        /** Reaching the armed point throws, which stops the request thread as a halt would stop the process. */
        @Bean
        CrashPoints crashPoints() {
            return new CrashPoints(Set.of(Coordinator.AFTER_DECISION_LOGGED, Coordinator.AFTER_PREPARE_BEFORE_DECISION),
                    point -> {
                        if (point.equals(CRASH_AT.get())) {
                            throw new SimulatedCrash(point);
                        }
                    });
        }
    }

    static final class SimulatedCrash extends Error {
        SimulatedCrash(String point) {
            super("simulated crash at " + point);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresCluster cluster = TestInfra.postgres();
        Database coordinatorDb = cluster.freshDatabase("coordinator");
        registry.add("spring.datasource.url", coordinatorDb::jdbcUrl);
        registry.add("spring.datasource.username", coordinatorDb::username);
        registry.add("spring.datasource.password", coordinatorDb::password);
        List<io.txlab.twopc.ParticipantStub> all = PARTICIPANTS.all();
        for (int i = 0; i < all.size(); i++) {
            String prefix = "txlab.twopc.monitor.participants[" + i + "].";
            io.txlab.twopc.ParticipantStub p = all.get(i);
            registry.add(prefix + "name", () -> p.name());
            registry.add(prefix + "host", () -> "127.0.0.1");
            registry.add(prefix + "port", () -> cluster.port());
            registry.add(prefix + "dbname", () -> p.database().name());
            registry.add(prefix + "user", () -> p.database().username());
            registry.add(prefix + "password", () -> p.database().password());
            registry.add("txlab.twopc.allowed-participants[" + i + "]", p::baseUrl);
        }
        // An allowed participant that is down (nothing listens on port 9).
        registry.add("txlab.twopc.allowed-participants[" + all.size() + "]", () -> "http://127.0.0.1:9");
        registry.add("txlab.twopc.allowed-participants[" + (all.size() + 1) + "]", CoordinatorIT::silentUrl);
    }

    @LocalServerPort
    int port;
    @Autowired
    Coordinator coordinator;
    @Autowired
    Recovery recovery;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MeterRegistry meters;
    @Autowired
    DecisionLog decisions;
    @Autowired
    javax.sql.DataSource dataSource;
    @Autowired
    InDoubtMonitor monitor;
    @Autowired
    io.txlab.twopc.config.TwopcProperties properties;

    RestClient http;

    @BeforeEach
    void setUp() {
        http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .requestInterceptor(SigningInterceptor.forSecret(TestInfra.INTERNAL_SECRET)).build();
        PARTICIPANTS.all().forEach(p -> p.reset(10));
        CRASH_AT.set(null);
    }

    @AfterEach
    void disarm() {
        CRASH_AT.set(null);
    }

    private static String silentUrl() {
        return "http://127.0.0.1:" + SILENT.getLocalPort();
    }

    @AfterAll
    static void stopParticipants() throws IOException {
        SILENT.close();
        PARTICIPANTS.close();
    }

    private PrepareRequest order(int orderQty, int inventoryQty, int paymentQty) {
        return new PrepareRequest(null, List.of(
                participant("order", orderQty), participant("inventory", inventoryQty), participant("payment", paymentQty)));
    }

    /** {@link #order} whose order branch is the caller's to resolve (ADR 56). */
    private PrepareRequest orderResolvedByCaller(int inventoryQty, int paymentQty) {
        return new PrepareRequest(null, List.of(
                new PrepareRequest.Participant("order", PARTICIPANTS.get("order").baseUrl(),
                        Map.of("item", "A", "quantity", 1), true),
                participant("inventory", inventoryQty), participant("payment", paymentQty)));
    }

    private PrepareRequest.Participant participant(String name, int quantity) {
        return new PrepareRequest.Participant(name, PARTICIPANTS.get(name).baseUrl(),
                Map.of("item", "A", "quantity", quantity));
    }

    @Test
    void aParticipantOutsideTheAllowListIsRefusedBeforeAnythingIsLoggedOrSent() {
        String gid = Gid.random();
        PrepareRequest elsewhere = new PrepareRequest(gid, List.of(participant("order", 1),
                new PrepareRequest.Participant("inventory", "http://127.0.0.1:10", Map.of("item", "A", "quantity", 1))));

        HttpStatusCode status = http.post().uri("/transactions").body(elsewhere)
                .exchange((request, response) -> response.getStatusCode());

        assertThat(status.value()).isEqualTo(400);
        assertThat(decisions.find(gid)).isEmpty();
    }

    @Test
    void decisionsCarryTheLogsEpochAndSayWhenTheyArePresumed() {
        String logged = http.post().uri("/transactions").body(order(1, 1, 1)).retrieve()
                .body(TransactionOutcome.class).gid();

        Decision known = http.get().uri("/transactions/{gid}", logged).retrieve().body(Decision.class);
        Decision unknown = http.get().uri("/transactions/{gid}", Gid.random()).retrieve().body(Decision.class);

        assertThat(known.isPresumed()).isFalse();
        assertThat(unknown.isPresumed()).isTrue();
        assertThat(unknown.decision()).isEqualTo(Decision.Value.ABORT);
        assertThat(known.epoch()).isNotBlank().isEqualTo(unknown.epoch())
                .isEqualTo(jdbc.sql("SELECT epoch::text FROM coordinator_epoch").query(String.class).single());
    }

    @Test
    void aKnownGidWithOtherParticipantsIsAConflictNotAReplay() {
        PrepareRequest first = order(1, 1, 1);
        String gid = http.post().uri("/transactions").body(first).retrieve().body(TransactionOutcome.class).gid();
        PrepareRequest other = new PrepareRequest(gid, List.of(participant("order", 1), participant("inventory", 1)));

        HttpStatusCode status = http.post().uri("/transactions").body(other)
                .exchange((request, response) -> response.getStatusCode());
        HttpStatusCode replay = http.post().uri("/transactions").body(new PrepareRequest(gid, first.participants()))
                .exchange((request, response) -> response.getStatusCode());

        assertThat(status.value()).isEqualTo(409);
        assertThat(replay.value()).isEqualTo(200);
    }

    @Test
    void happyPathCommitsEveryParticipant() {
        TransactionOutcome outcome = http.post().uri("/transactions").body(order(1, 2, 3))
                .retrieve().body(TransactionOutcome.class);

        assertThat(outcome.decision()).isEqualTo(Decision.Value.COMMIT);
        assertThat(outcome.completed()).isTrue();
        assertThat(outcome.votes()).extracting(TransactionOutcome.ParticipantVote::vote).containsOnly(Vote.Value.YES);
        assertThat(PARTICIPANTS.get("order").stock()).isEqualTo(9);
        assertThat(PARTICIPANTS.get("inventory").stock()).isEqualTo(8);
        assertThat(PARTICIPANTS.get("payment").stock()).isEqualTo(7);
        PARTICIPANTS.all().forEach(p -> assertThat(p.prepared()).isEmpty());
        assertThat(decisionOf(outcome.gid())).isEqualTo(Decision.Value.COMMIT);
        assertThat(stateOf(outcome.gid())).isEqualTo("COMMITTED");
    }

    @Test
    void aBranchTheCallerResolvesIsPreparedButGetsNoDecisionInLineAndTheLogAnswersItsRecovery() {
        ParticipantStub order = PARTICIPANTS.get("order");
        PrepareRequest request = orderResolvedByCaller(2, 3);

        TransactionOutcome outcome = http.post().uri("/transactions").body(request).retrieve()
                .body(TransactionOutcome.class);

        assertThat(outcome.decision()).isEqualTo(Decision.Value.COMMIT);
        assertThat(outcome.completed()).isTrue();
        assertThat(stateOf(outcome.gid())).isEqualTo("COMMITTED");
        assertThat(PARTICIPANTS.get("inventory").stock()).isEqualTo(8);
        assertThat(PARTICIPANTS.get("payment").stock()).isEqualTo(7);
        // The caller's branch voted YES and is still prepared: the coordinator left its COMMIT to the caller ...
        assertThat(order.prepared()).extracting(PreparedTransaction::globalGid).containsExactly(outcome.gid());
        assertThat(order.stock()).isEqualTo(10);
        // ... and the log tells the branch's recovery what to do with it if the caller never does.
        Decision asked = http.get().uri("/transactions/{gid}", outcome.gid()).retrieve().body(Decision.class);
        assertThat(asked.decision()).isEqualTo(Decision.Value.COMMIT);
        assertThat(asked.isPresumed()).isFalse();
        assertThat(order.transactions.commitPrepared(outcome.gid())).isEqualTo(Resolution.Result.COMMITTED);
        assertThat(order.stock()).isEqualTo(9);
    }

    @Test
    void anAbortLeavesTheBranchTheCallerResolvesToTheCallerAndRollsBackTheOthers() {
        ParticipantStub order = PARTICIPANTS.get("order");
        PrepareRequest request = orderResolvedByCaller(2, 11);

        TransactionOutcome outcome = coordinator.execute(request);

        assertThat(outcome.decision()).isEqualTo(Decision.Value.ABORT);
        assertThat(outcome.completed()).isTrue();
        assertThat(stateOf(outcome.gid())).isEqualTo("ABORTED");
        assertThat(PARTICIPANTS.get("inventory").prepared()).isEmpty();
        assertThat(PARTICIPANTS.get("inventory").stock()).isEqualTo(10);
        assertThat(order.prepared()).extracting(PreparedTransaction::globalGid).containsExactly(outcome.gid());
        assertThat(order.transactions.rollbackPrepared(outcome.gid())).isEqualTo(Resolution.Result.ROLLED_BACK);
        assertThat(order.stock()).isEqualTo(10);
    }

    @Test
    void oneNoVoteRollsBackEverywhereAndLeavesNothingPrepared() {
        TransactionOutcome outcome = coordinator.execute(order(1, 2, 11));

        assertThat(outcome.decision()).isEqualTo(Decision.Value.ABORT);
        assertThat(outcome.completed()).isTrue();
        assertThat(outcome.votes()).extracting(TransactionOutcome.ParticipantVote::reason)
                .containsExactly(null, null, "OUT_OF_STOCK");
        PARTICIPANTS.all().forEach(p -> {
            assertThat(p.stock()).isEqualTo(10);
            assertThat(p.applied()).isEmpty();
            assertThat(p.prepared()).isEmpty();
        });
        assertThat(stateOf(outcome.gid())).isEqualTo("ABORTED");
    }

    @Test
    void unreachableParticipantCountsAsNo() {
        PrepareRequest request = new PrepareRequest(null, List.of(participant("order", 1),
                new PrepareRequest.Participant("payment", "http://127.0.0.1:9", Map.of("item", "A", "quantity", 1))));

        TransactionOutcome outcome = coordinator.execute(request);

        assertThat(outcome.decision()).isEqualTo(Decision.Value.ABORT);
        assertThat(outcome.votes().get(1).vote()).isEqualTo(Vote.Value.NO);
        assertThat(PARTICIPANTS.get("order").prepared()).isEmpty();
        assertThat(PARTICIPANTS.get("order").stock()).isEqualTo(10);
    }

    @Test
    void aParticipantSilentAtTheTransactionsDeadlineVotesNoWithDeadlineExceededAndEverythingRollsBack() {
        PrepareRequest request = new PrepareRequest(null, List.of(participant("order", 1), participant("inventory", 1),
                new PrepareRequest.Participant("payment", silentUrl(), Map.of("item", "A", "quantity", 1))),
                Instant.now().plusMillis(700));

        long started = System.nanoTime();
        TransactionOutcome outcome = coordinator.execute(request);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome.decision()).isEqualTo(Decision.Value.ABORT);
        assertThat(outcome.votes().get(0).vote()).isEqualTo(Vote.Value.YES);
        assertThat(outcome.votes().get(2).vote()).isEqualTo(Vote.Value.NO);
        assertThat(outcome.votes().get(2).reason()).startsWith("DEADLINE_EXCEEDED: ");
        // the deadline (0.7 s) bound phase one, not the 2 s prepare timeout nor the 3 s read timeout, and the silent
        // participant's rollback was left to recovery instead of holding the answer for its read timeouts
        assertThat(took).isLessThan(Duration.ofMillis(1900));
        assertThat(outcome.completed()).isFalse();
        assertThat(decisions.find(outcome.gid()).orElseThrow().lastError()).contains("payment: gave no vote");
        for (String name : List.of("order", "inventory")) {
            assertThat(PARTICIPANTS.get(name).prepared()).isEmpty();
            assertThat(PARTICIPANTS.get(name).stock()).isEqualTo(10);
        }
    }

    @Test
    void decisionLoggedThenCoordinatorDiesBeforePhaseTwoRecoveryCommitsEverywhere() {
        String gid = Gid.random();
        CRASH_AT.set(Coordinator.AFTER_DECISION_LOGGED);

        assertThatThrownBy(() -> coordinator.execute(withGid(gid, order(1, 1, 1)))).isInstanceOf(SimulatedCrash.class);

        assertThat(stateOf(gid)).isEqualTo("COMMITTING");
        assertThat(decisionOf(gid)).isEqualTo(Decision.Value.COMMIT);
        PARTICIPANTS.all().forEach(p -> {
            assertThat(p.prepared()).hasSize(1);
            assertThat(p.stock()).as("prepared, not committed").isEqualTo(10);
        });

        CRASH_AT.set(null);
        assertThat(recovery.runOnce()).isEqualTo(1);

        assertThat(stateOf(gid)).isEqualTo("COMMITTED");
        PARTICIPANTS.all().forEach(p -> {
            assertThat(p.prepared()).isEmpty();
            assertThat(p.stock()).isEqualTo(9);
            assertThat(p.applied()).containsExactly(gid);
        });
    }

    @Test
    void aBranchResolvedAgainstTheDecisionIsAHeuristicOutcomeNeverAnAcknowledgement() {
        String gid = Gid.random();
        CRASH_AT.set(Coordinator.AFTER_DECISION_LOGGED);
        assertThatThrownBy(() -> coordinator.execute(withGid(gid, order(1, 1, 1)))).isInstanceOf(SimulatedCrash.class);
        assertThat(decisionOf(gid)).isEqualTo(Decision.Value.COMMIT);
        // Someone rolls payment's branch back behind the coordinator's back (an operator's ROLLBACK PREPARED).
        assertThat(PARTICIPANTS.get("payment").transactions.rollbackPrepared(gid)).isEqualTo(Resolution.Result.ROLLED_BACK);

        CRASH_AT.set(null);
        recovery.runOnce();

        // order and inventory commit; payment's "already resolved" is the opposite outcome and is not counted as done
        assertThat(PARTICIPANTS.get("order").applied()).containsExactly(gid);
        assertThat(PARTICIPANTS.get("inventory").applied()).containsExactly(gid);
        assertThat(PARTICIPANTS.get("payment").applied()).isEmpty();
        assertThat(stateOf(gid)).isEqualTo("COMMITTING");
        assertThat(decisions.find(gid).orElseThrow().lastError()).contains("payment: " + Coordinator.HEURISTIC);
    }

    @Test
    void noDecisionWithinThePrepareTimeoutRollsBackEverywhere() {
        String gid = Gid.random();
        CRASH_AT.set(Coordinator.AFTER_PREPARE_BEFORE_DECISION);

        assertThatThrownBy(() -> coordinator.execute(withGid(gid, order(1, 1, 1)))).isInstanceOf(SimulatedCrash.class);
        CRASH_AT.set(null);

        assertThat(stateOf(gid)).isEqualTo("BEGUN");
        assertThat(decisionOf(gid)).isEqualTo(Decision.Value.PENDING);
        PARTICIPANTS.all().forEach(p -> assertThat(p.prepared()).hasSize(1));

        awaitTrue(Duration.ofSeconds(20), () -> {
            recovery.runOnce();
            return "ABORTED".equals(stateOf(gid));
        });

        assertThat(decisionOf(gid)).isEqualTo(Decision.Value.ABORT);
        PARTICIPANTS.all().forEach(p -> {
            assertThat(p.prepared()).isEmpty();
            assertThat(p.stock()).isEqualTo(10);
        });
    }

    @Test
    void repostingAKnownGidReturnsItsOutcomeWithoutRunningAgain() {
        String gid = Gid.random();
        coordinator.execute(withGid(gid, order(1, 1, 1)));

        TransactionOutcome again = coordinator.execute(withGid(gid, order(1, 1, 1)));

        assertThat(again.decision()).isEqualTo(Decision.Value.COMMIT);
        assertThat(again.completed()).isTrue();
        PARTICIPANTS.all().forEach(p -> assertThat(p.stock()).isEqualTo(9));
    }

    @Test
    void aMonitorStartingOverServersOfAnOlderVersionAddsTheOptionsTheyLack() {
        // The foreign servers as an older coordinator left them: no connect_timeout.
        assertThat(monitor.refresh().available()).isTrue();
        PARTICIPANTS.all().forEach(p -> jdbc.sql("ALTER SERVER twopc_" + p.name() + " OPTIONS (DROP connect_timeout)").update());

        InDoubtMonitor restarted = new InDoubtMonitor(dataSource, properties, new SimpleMeterRegistry());

        assertThat(restarted.refresh().available()).isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM pg_foreign_server s, pg_options_to_table(s.srvoptions) "
                + "WHERE s.srvname LIKE 'twopc_%' AND option_name = 'connect_timeout'").query(Long.class).single())
                .isEqualTo(PARTICIPANTS.all().size());
    }

    @Test
    void unknownGidIsPresumedAbortedAndMalformedGidsAreRefused() {
        assertThat(decisionOf(Gid.random())).isEqualTo(Decision.Value.ABORT);

        HttpStatusCode status = http.get().uri("/transactions/{gid}", "txlab_1' OR '1'='1")
                .exchange((request, response) -> response.getStatusCode());
        assertThat(status.value()).isEqualTo(400);
        HttpStatusCode badRequest = http.post().uri("/transactions")
                .body(new PrepareRequest("not-a-gid", List.of(participant("order", 1))))
                .exchange((request, response) -> response.getStatusCode());
        assertThat(badRequest.value()).isEqualTo(400);
    }

    @Test
    void inDoubtMonitorShowsAStuckPreparedTransactionThroughPostgresFdw() {
        String gid = Gid.random();
        var inventory = PARTICIPANTS.get("inventory");
        inventory.transactions.prepare(gid, () -> {
            inventory.jdbc.sql("UPDATE item SET stock = stock - 1 WHERE id = 'A'").update();
            return Vote.yes();
        });

        InDoubtReport report = http.get().uri("/twopc/in-doubt").retrieve().body(InDoubtReport.class);

        assertThat(report.available()).isTrue();
        assertThat(report.unreachable()).isEmpty();
        assertThat(report.transactions()).singleElement().satisfies(t -> {
            assertThat(t.participant()).isEqualTo("inventory");
            assertThat(t.gid()).isEqualTo(gid + ".inventory");
            assertThat(t.globalGid()).isEqualTo(gid);
            assertThat(t.database()).isEqualTo(inventory.database().name());
            assertThat(t.locksHeld()).isGreaterThan(0);
            assertThat(t.decision()).as("never logged: presumed abort").isEqualTo("ABORT");
            assertThat(t.ageSeconds()).isGreaterThanOrEqualTo(0);
        });
        assertThat(meters.get("txlab.twopc.in_doubt.count").tag("participant", "inventory").gauge().value())
                .isEqualTo(1.0);
        assertThat(meters.get("txlab.twopc.in_doubt.count").tag("participant", "payment").gauge().value())
                .isEqualTo(0.0);
        assertThat(meters.get("txlab.twopc.in_doubt.oldest.age").tag("participant", "inventory").gauge().value())
                .isGreaterThanOrEqualTo(0.0);

        inventory.transactions.rollbackPrepared(gid);
        assertThat(http.get().uri("/twopc/in-doubt").retrieve().body(InDoubtReport.class).transactions()).isEmpty();
    }

    private static PrepareRequest withGid(String gid, PrepareRequest request) {
        return new PrepareRequest(gid, request.participants());
    }

    private Decision.Value decisionOf(String gid) {
        return http.get().uri("/transactions/{gid}", gid).retrieve().body(Decision.class).decision();
    }

    private String stateOf(String gid) {
        return jdbc.sql("SELECT state FROM twopc_transaction WHERE gid = ?").param(gid).query(String.class).single();
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

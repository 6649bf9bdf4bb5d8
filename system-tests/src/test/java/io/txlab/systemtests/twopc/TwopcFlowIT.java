package io.txlab.systemtests.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.RequestSignature;
import io.txlab.devstack.Topology;
import io.txlab.devstack.links.Fault;
import io.txlab.systemtests.support.FlowScenarios;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.OrdersClient;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Flow {@code twopc} end to end on the full local stack: orders are confirmed or rejected atomically across the
 * order, inventory and payment databases, and every crash window of two-phase commit ends with nothing left
 * prepared: the coordinator dying after its COMMIT decision (recovery commits everywhere), dying before deciding
 * (the prepare timeout rolls everything back), a participant's PostgreSQL restarting with a branch prepared (the
 * branch survives and is resolved). Plus contention on one SKU (no oversell) and the in-doubt monitor showing a
 * stuck branch.
 */
class TwopcFlowIT extends FlowScenarios {

    private static final Duration FINAL = Duration.ofSeconds(90);
    private static final Duration HALT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final String[][] PARTICIPANT_DATABASES = {
            {Topology.POSTGRES_ORDER, "orders"},
            {Topology.POSTGRES_INVENTORY, "inventory"},
            {Topology.POSTGRES_PAYMENT, "payment"}};

    /** The services a test restarted with a crash point armed and has not restarted plain since. */
    private final Set<String> armed = new HashSet<>();

    @Override
    protected Flow flow() {
        return Flow.TWOPC;
    }

    @Override
    protected Duration finalWithin() {
        return FINAL;
    }

    /** CONFIRMED is the order's branch; inventory's and payment's commit in parallel. */
    @Override
    protected void awaitSettled(UUID order) {
        awaitNothingPrepared(order);
    }

    @Override
    protected void afterConfirmed(UUID order) {
        assertCommittedEverywhere(order);
    }

    @Override
    protected void afterDeclined(UUID order) {
        assertRolledBackEverywhere(order);
    }

    @Override
    protected void afterOutOfStock(UUID order) {
        assertRolledBackEverywhere(order);
    }

    @Override
    protected void afterDuplicate(UUID order) {
        assertCommittedEverywhere(order);
    }

    @AfterEach
    void backToNormal() {
        // A chaos test that failed half-way must not leave a halted or still-armed service to the next test.
        for (String service : List.of(Topology.ORDER_SERVICE, Topology.TWOPC_COORDINATOR)) {
            if (armed.contains(service) || !stack.isAlive(service)) {
                restartPlain(service);
            }
        }
    }

    /**
     * The coordinator halts after logging COMMIT and before telling any participant: every branch stays prepared and
     * the order PENDING; after the restart its recovery commits everywhere.
     */
    /**
     * adr/0038: the coordinator cannot reach payment-service's participant; at the deadline payment's vote is a NO
     * (DEADLINE_EXCEEDED), the other branches roll back, and the prepare that arrives after the heal is resolved by
     * recovery, leaving nothing prepared.
     */
    @Test
    void anOrderWhosePaymentStepHangsIsCancelledAtItsDeadlineAndCompensated() {
        aStepHangingBehindTheLinkIsCancelledAtTheOrdersDeadline(Topology.TWOPC_COORDINATOR, Topology.PAYMENT_SERVICE);
    }

    @Override
    protected void crashMidFlow() {
        int stockBefore = available("SKU-0013");
        BigDecimal balanceBefore = balance("C-0013");
        armCoordinator(CrashPointNames.TWOPC_AFTER_DECISION_LOGGED);

        UUID order = stack.orders().place(Flow.TWOPC, "C-0013", List.of(Orders.line("SKU-0013", 2))).orderId();

        await("the coordinator halted after logging COMMIT", HALT, () -> !stack.isAlive(Topology.TWOPC_COORDINATOR));
        assertThat(coordinatorState(order)).isEqualTo("COMMITTING");
        assertThat(preparedBranches(order)).as("every branch prepared, none resolved").isEqualTo(3);
        assertThat(stack.orders().get(order).orderStatus()).as("not CONFIRMED before COMMIT PREPARED")
                .isEqualTo("PENDING");

        restartPlain(Topology.TWOPC_COORDINATOR);

        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asString()).isEqualTo("CONFIRMED");
        assertCommittedEverywhere(order, stockBefore - 2, "SKU-0013", balanceBefore.subtract(Orders.price("SKU-0013").multiply(BigDecimal.valueOf(2))),
                "C-0013");
    }

    /**
     * ADR 56: order-service halts after the coordinator answered COMMIT (inventory and payment committed) and before it
     * committed its own branch. The order branch stays prepared and the log says COMMITTED; after the restart the
     * branch's participant recovery asks the log and commits it, and the order is CONFIRMED.
     */
    @Test
    void orderServiceKilledBeforeCommittingItsOwnBranchConfirmsTheOrderAfterItsRestart() {
        int stockBefore = available("SKU-0016");
        BigDecimal balanceBefore = balance("C-0016");
        arm(Topology.ORDER_SERVICE, CrashPointNames.TWOPC_BEFORE_OWN_BRANCH);

        UUID order = stack.orders().place(Flow.TWOPC, "C-0016", List.of(Orders.line("SKU-0016", 3))).orderId();

        await("order-service halted before committing its own branch", HALT,
                () -> !stack.isAlive(Topology.ORDER_SERVICE));
        assertThat(coordinatorState(order)).as("inventory and payment acknowledged the COMMIT").isEqualTo("COMMITTED");
        assertThat(preparedBranches(order)).as("only the order's branch left prepared").isEqualTo(1);
        assertThat(prepared(Topology.POSTGRES_ORDER, "orders", Gid.of(order) + ".order")).isEqualTo(1);

        restartPlain(Topology.ORDER_SERVICE);

        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asString()).isEqualTo("CONFIRMED");
        assertCommittedEverywhere(order, stockBefore - 3, "SKU-0016",
                balanceBefore.subtract(Orders.price("SKU-0016").multiply(BigDecimal.valueOf(3))), "C-0016");
    }

    @Test
    void aCoordinatorKilledBeforeDecidingRollsEverythingBackAfterThePrepareTimeout() {
        int stockBefore = available("SKU-0014");
        BigDecimal balanceBefore = balance("C-0014");
        armCoordinator(CrashPointNames.TWOPC_AFTER_PREPARE_BEFORE_DECISION);

        UUID order = stack.orders().place(Flow.TWOPC, "C-0014", List.of(Orders.line("SKU-0014", 2))).orderId();

        await("the coordinator halted before deciding", HALT, () -> !stack.isAlive(Topology.TWOPC_COORDINATOR));
        assertThat(coordinatorState(order)).isEqualTo("BEGUN");
        assertThat(preparedBranches(order)).as("every branch prepared, no decision").isEqualTo(3);

        restartedCoordinatorAbortsAfterThePrepareTimeout(order);
        assertThat(available("SKU-0014")).isEqualTo(stockBefore);
        assertThat(balance("C-0014")).isEqualByComparingTo(balanceBefore);
    }

    @Test
    void aPreparedBranchSurvivesItsPostgresqlRestartAndIsCommitted() {
        int stockBefore = available("SKU-0015");
        BigDecimal balanceBefore = balance("C-0015");
        armCoordinator(CrashPointNames.TWOPC_AFTER_DECISION_LOGGED);
        UUID order = stack.orders().place(Flow.TWOPC, "C-0015", List.of(Orders.line("SKU-0015", 4))).orderId();
        await("the coordinator halted after logging COMMIT", HALT, () -> !stack.isAlive(Topology.TWOPC_COORDINATOR));
        String branch = Gid.of(order) + ".inventory";
        assertThat(prepared(Topology.POSTGRES_INVENTORY, "inventory", branch)).isEqualTo(1);

        stack.kill(Topology.POSTGRES_INVENTORY);
        stack.restart(Topology.POSTGRES_INVENTORY);

        assertThat(prepared(Topology.POSTGRES_INVENTORY, "inventory", branch))
                .as("PREPARE TRANSACTION is durable: the branch outlives a crash of its PostgreSQL").isEqualTo(1);
        assertThat(available("SKU-0015")).as("still invisible to others").isEqualTo(stockBefore);

        restartPlain(Topology.TWOPC_COORDINATOR);

        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asString()).isEqualTo("CONFIRMED");
        assertCommittedEverywhere(order, stockBefore - 4, "SKU-0015", balanceBefore.subtract(Orders.price("SKU-0015").multiply(BigDecimal.valueOf(4))),
                "C-0015");
    }

    @Test
    void ordersInFlightWhenTheCoordinatorsDatabaseIsKilledEndTheSameOnEveryParticipant() throws Exception {
        List<UUID> placed = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<OrdersClient.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String customer = "C-%04d".formatted(301 + i);
                String sku = "SKU-%04d".formatted(301 + i);
                calls.add(clients.submit(() -> stack.orders().place(Flow.TWOPC, customer,
                        List.of(Orders.line(sku, 1)))));
                if (i == 5) {
                    stack.kill(Topology.POSTGRES_COORDINATOR);
                }
            }
            for (Future<OrdersClient.Response> call : calls) {
                OrdersClient.Response response = call.get();
                // Refused before anything was written (503) is a correct answer while the decision log is down.
                if (response.status() != 503) {
                    assertThat(response.status()).as(response.body().toString()).isIn(200, 201);
                    placed.add(response.orderId());
                }
            }
        } finally {
            clients.shutdownNow();
            stack.restart(Topology.POSTGRES_COORDINATOR);
        }

        assertThat(placed).as("orders accepted around the kill").isNotEmpty();
        for (UUID order : placed) {
            String status = stack.orders().awaitFinal(order, FINAL).get("status").asString();
            awaitNothingPrepared(order);
            long reserved = stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory",
                    "SELECT count(*) FROM reservation WHERE order_id = ? AND status = 'RESERVED'", order);
            long charged = stack.queryLong(Topology.POSTGRES_PAYMENT, "payment",
                    "SELECT count(*) FROM payment WHERE order_id = ? AND status = 'AUTHORIZED'", order);
            long expected = status.equals("CONFIRMED") ? 1 : 0;
            assertThat(reserved).as("%s %s: reservation", order, status).isEqualTo(expected);
            assertThat(charged).as("%s %s: payment", order, status).isEqualTo(expected);
        }
    }

    @Test
    void concurrentOrdersForOneSkuNeverOversell() throws Exception {
        int stockBefore = available(Orders.HOT);
        int orders = 30;
        int quantity = 5;
        List<UUID> placed = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(orders);
        try {
            List<Future<OrdersClient.Response>> calls = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                String customer = "C-%04d".formatted(201 + i);
                calls.add(clients.submit(() -> stack.orders().place(Flow.TWOPC, customer,
                        List.of(Orders.line(Orders.HOT, quantity)))));
            }
            for (Future<OrdersClient.Response> call : calls) {
                placed.add(call.get().orderId());
            }
        } finally {
            clients.shutdownNow();
        }

        // Each order holds HOT-01's row lock from its inventory prepare until the coordinator's COMMIT PREPARED, so the
        // orders queue on that row one global transaction at a time. A prepare that waits longer than the
        // participant's lock timeout (2 s) votes NO and the order is cancelled with TECHNICAL_FAILURE: a refusal
        // caused by contention, not by stock - the hot-row cost of 2PC. How many hit it depends on the machine's speed.
        int confirmed = 0;
        int outOfStock = 0;
        int contended = 0;
        for (UUID order : placed) {
            JsonNode last = stack.orders().awaitFinal(order, FINAL);
            if (last.get("status").asString().equals("CONFIRMED")) {
                confirmed++;
            } else if (last.get("reason").asString().equals("OUT_OF_STOCK")) {
                outOfStock++;
            } else {
                assertThat(last.get("reason").asString()).as("refused for stock or for the bounded lock wait")
                        .isEqualTo("TECHNICAL_FAILURE");
                contended++;
            }
        }
        int expected = Math.min(orders, stockBefore / quantity);
        String counts = "%d confirmed, %d out of stock, %d refused after the lock wait (stock before: %d)"
                .formatted(confirmed, outOfStock, contended, stockBefore);
        assertThat(confirmed).as(counts).isLessThanOrEqualTo(expected);
        if (expected > 0) {
            assertThat(confirmed).as("the first order to lock the row waits for no one: " + counts).isPositive();
        }
        if (outOfStock > 0) {
            // Stock is read under the row lock (SELECT ... FOR UPDATE), i.e. after every earlier holder committed or
            // rolled back: an OUT_OF_STOCK vote means fewer than `quantity` units were left at that point, so every
            // unit that could be sold was sold.
            assertThat(confirmed).as("an OUT_OF_STOCK refusal while stock was left: " + counts).isEqualTo(expected);
        }
        assertThat(available(Orders.HOT)).as(counts).isEqualTo(stockBefore - confirmed * quantity)
                .isGreaterThanOrEqualTo(0);
        for (UUID order : placed) {
            awaitNothingPrepared(order);
        }
    }

    @Test
    void nobodyWithoutTheSecretCanDriveTheProtocol() throws Exception {
        UUID order = stack.orders().place(Flow.TWOPC, "C-0017", List.of(Orders.line("SKU-0017", 1))).orderId();
        String gid = Gid.of(order);
        for (String service : List.of(Topology.ORDER_SERVICE, Topology.INVENTORY_SERVICE, Topology.PAYMENT_SERVICE)) {
            for (String action : List.of("prepare", "commit", "rollback")) {
                String body = "{\"orderId\":\"" + order + "\",\"customerId\":\"C-0017\",\"amount\":0.01}";
                // the public API port does not serve the protocol at all (ADR 24) ...
                HttpResponse<String> onTheApi = send(stack.url(service) + "/twopc/" + gid + "/" + action, body, Map.of());
                assertThat(onTheApi.statusCode()).as("%s %s: %s", service, action, onTheApi.body()).isEqualTo(404);
                // ... and its own port answers only signed requests (ADR 18)
                HttpResponse<String> response = send(stack.internalUrl(service) + "/twopc/" + gid + "/" + action, body, Map.of());
                assertThat(response.statusCode()).as("%s %s: %s", service, action, response.body()).isEqualTo(401);
            }
        }
        // Nor make the coordinator call anywhere.
        HttpResponse<String> run = send(stack.url(Topology.TWOPC_COORDINATOR) + "/transactions",
                "{\"participants\":[{\"name\":\"x\",\"baseUrl\":\"http://127.0.0.1:9\"}]}", Map.of());
        assertThat(run.statusCode()).as(run.body()).isEqualTo(401);
        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asString()).isEqualTo("CONFIRMED");
    }

    @Test
    void theInDoubtMonitorShowsABranchLeftPreparedUntilItIsResolved() throws Exception {
        // A branch prepared as if by a coordinator that then vanished: its gid is in no decision log.
        UUID orphan = UUID.randomUUID();
        String gid = Gid.of(orphan);
        JsonNode vote = post(stack.internalUrl(Topology.INVENTORY_SERVICE) + "/twopc/" + gid + "/prepare",
                "{\"orderId\":\"" + orphan + "\",\"lines\":[{\"sku\":\"SKU-0016\",\"quantity\":1}]}");
        assertThat(vote.get("vote").asString()).isEqualTo("YES");

        JsonNode report = get(stack.url(Topology.TWOPC_COORDINATOR) + "/twopc/in-doubt");

        assertThat(report.get("available").asBoolean()).as(report.toString()).isTrue();
        JsonNode listed = null;
        for (JsonNode tx : report.get("transactions")) {
            if (tx.get("gid").asString().equals(gid + ".inventory")) {
                listed = tx;
            }
        }
        assertThat(listed).as("in-doubt report lists %s: %s", gid, report).isNotNull();
        assertThat(listed.get("participant").asString()).isEqualTo("inventory");
        assertThat(listed.get("globalGid").asString()).isEqualTo(gid);
        assertThat(listed.get("decision").asString()).as("presumed abort").isEqualTo("ABORT");

        // Nothing stays prepared forever: the participant's recovery asks the coordinator and rolls it back.
        await("the orphan branch is rolled back", FINAL,
                () -> prepared(Topology.POSTGRES_INVENTORY, "inventory", gid + ".inventory") == 0);
        JsonNode after = get(stack.url(Topology.TWOPC_COORDINATOR) + "/twopc/in-doubt");
        assertThat(after.get("transactions").toString()).doesNotContain(gid);
    }

    @Test
    void aParticipantPartitionedFromItsDatabaseIsVotedOutAndTheOrderAbortsWithoutWaitingForIt() {
        // Packets dropped between payment-service and its PostgreSQL: its prepare neither answers nor fails.
        paymentDatabaseFaultAbortsTheOrder("C-0041", "SKU-0041", Fault.partition());
    }

    @Test
    void aParticipantAnsweringAfterSecondsIsTimedOutAndRolledBack() {
        // Every round trip between payment-service and its PostgreSQL 4 s longer: a prepare takes several of them,
        // well past the coordinator's 3 s read timeout.
        paymentDatabaseFaultAbortsTheOrder("C-0042", "SKU-0042", Fault.delay(4_000));
    }

    @Test
    void aParticipantTheCoordinatorCannotReachIsVotedOutAndItsLatePrepareRolledBack() {
        // Packets between the coordinator and payment-service dropped: the prepare and then the rollback go unanswered.
        // On heal the held prepare reaches payment after the abort, as TCP's retransmission would deliver it.
        faultAbortsTheOrder("C-0044", "SKU-0044", Topology.TWOPC_COORDINATOR, Topology.PAYMENT_SERVICE, Fault.partition());
    }

    private void paymentDatabaseFaultAbortsTheOrder(String customer, String sku, Fault fault) {
        faultAbortsTheOrder(customer, sku, Topology.PAYMENT_SERVICE, Topology.POSTGRES_PAYMENT, fault);
    }

    /**
     * With {@code fault} on the link {@code from>to}, an order is CANCELLED while the fault lasts (the coordinator's
     * read timeout is payment's NO), nothing is reserved; once healed, whatever payment did late (a prepare included)
     * ends rolled back, and stock and balance are what they were.
     */
    private void faultAbortsTheOrder(String customer, String sku, String from, String to, Fault fault) {
        warm(customer, sku);
        int stockBefore = available(sku);
        BigDecimal balanceBefore = balance(customer);
        UUID order;
        stack.fault(from, to, fault);
        try {
            order = stack.orders().place(Flow.TWOPC, customer, List.of(Orders.line(sku, 1))).orderId();
            assertThat(stack.orders().awaitFinal(order, Duration.ofSeconds(60)).get("status").asString())
                    .isEqualTo("CANCELLED");
            assertThat(stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory",
                    "SELECT count(*) FROM reservation WHERE order_id = ?", order)).isZero();
        } finally {
            stack.fault(from, to, Fault.NONE);
        }
        assertRolledBackEverywhere(order);
        assertThat(available(sku)).isEqualTo(stockBefore);
        assertThat(balance(customer)).isEqualByComparingTo(balanceBefore);
    }

    @Test
    void recoveryStillAbortsOnTimeWhileTheInDoubtMonitorCannotReachAParticipant() throws Exception {
        warm("C-0043", "SKU-0043");
        int stockBefore = available("SKU-0043");
        BigDecimal balanceBefore = balance("C-0043");
        // The monitor's foreign servers reach payment's PostgreSQL through this link; the protocol does not.
        stack.fault(Topology.TWOPC_COORDINATOR, Topology.POSTGRES_PAYMENT, Fault.partition());
        try {
            armCoordinator(CrashPointNames.TWOPC_AFTER_PREPARE_BEFORE_DECISION);
            UUID order = stack.orders().place(Flow.TWOPC, "C-0043", List.of(Orders.line("SKU-0043", 1))).orderId();
            await("the coordinator halted before deciding", HALT, () -> !stack.isAlive(Topology.TWOPC_COORDINATOR));
            // A monitor refresh hanging on the black-holed participant used to hold the one scheduler thread that
            // recovery also needs; now the prepare timeout aborts the order while the monitor reports payment unreachable.
            restartedCoordinatorAbortsAfterThePrepareTimeout(order);
            JsonNode report = get(stack.url(Topology.TWOPC_COORDINATOR) + "/twopc/in-doubt");
            assertThat(report.get("unreachable").toString()).as(report.toString()).contains("payment");
        } finally {
            stack.fault(Topology.TWOPC_COORDINATOR, Topology.POSTGRES_PAYMENT, Fault.NONE);
        }
        assertThat(available("SKU-0043")).isEqualTo(stockBefore);
        assertThat(balance("C-0043")).isEqualByComparingTo(balanceBefore);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** The halted coordinator restarted: its recovery aborts the undecided order, rolled back on every participant. */
    private void restartedCoordinatorAbortsAfterThePrepareTimeout(UUID order) {
        restartPlain(Topology.TWOPC_COORDINATOR);
        JsonNode last = stack.orders().awaitFinal(order, FINAL);
        assertThat(last.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(last.get("reason").asString()).isEqualTo("TECHNICAL_FAILURE");
        assertRolledBackEverywhere(order);
    }

    /** One confirmed order, so order-service knows the customer and the SKU before a fault cuts its way to them. */
    private void warm(String customer, String sku) {
        UUID order = stack.orders().place(Flow.TWOPC, customer, List.of(Orders.line(sku, 1))).orderId();
        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asString()).isEqualTo("CONFIRMED");
        // CONFIRMED is the order's branch; the others commit in parallel: read stock and balance after they have
        awaitNothingPrepared(order);
    }

    private void armCoordinator(String crashPoint) {
        arm(Topology.TWOPC_COORDINATOR, crashPoint);
    }

    /** Restarts {@code service} with {@code crashPoint} armed (profile chaos): it halts when it reaches it. */
    private void arm(String service, String crashPoint) {
        armed.add(service);
        stack.restart(service, Map.of("SPRING_PROFILES_ACTIVE", "chaos", "TXLAB_CHAOS_CRASH_POINTS", crashPoint));
    }

    /** Restarts {@code service} without a crash point. */
    private void restartPlain(String service) {
        stack.restart(service);
        armed.remove(service);
    }

    /** Every branch committed and the coordinator's log says so: reservation, payment and order all final. */
    private void assertCommittedEverywhere(UUID order) {
        awaitNothingPrepared(order);
        // A participant's own recovery may commit its branch before the coordinator's phase-two retry hears
        // ALREADY_RESOLVED and logs COMMITTED: the log catches up on its next pass.
        await("the coordinator logged the commit as finished", FINAL, () -> "COMMITTED".equals(coordinatorState(order)));
        assertThat(text(Topology.POSTGRES_INVENTORY, "inventory",
                "SELECT status FROM reservation WHERE order_id = ?", order)).isEqualTo("RESERVED");
        assertThat(text(Topology.POSTGRES_PAYMENT, "payment",
                "SELECT status FROM payment WHERE order_id = ?", order)).isEqualTo("AUTHORIZED");
        assertThat(text(Topology.POSTGRES_ORDER, "orders",
                "SELECT status FROM purchase_order WHERE id = ?", order)).isEqualTo("CONFIRMED");
    }

    private void assertCommittedEverywhere(UUID order, int stock, String sku, BigDecimal balance, String customer) {
        assertCommittedEverywhere(order);
        assertThat(available(sku)).isEqualTo(stock);
        assertThat(balance(customer)).isEqualByComparingTo(balance);
    }

    private void assertRolledBackEverywhere(UUID order) {
        awaitNothingPrepared(order);
        await("the coordinator logged the abort as finished", FINAL, () -> "ABORTED".equals(coordinatorState(order)));
        assertThat(stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory",
                "SELECT count(*) FROM reservation WHERE order_id = ?", order)).isZero();
        assertThat(stack.queryLong(Topology.POSTGRES_PAYMENT, "payment",
                "SELECT count(*) FROM payment WHERE order_id = ?", order)).isZero();
    }

    private void awaitNothingPrepared(UUID order) {
        await("no branch of " + Gid.of(order) + " left prepared", FINAL, () -> preparedBranches(order) == 0);
    }

    private long preparedBranches(UUID order) {
        long n = 0;
        for (String[] db : PARTICIPANT_DATABASES) {
            n += prepared(db[0], db[1], Gid.of(order) + ".");
        }
        return n;
    }

    private long prepared(String cluster, String database, String gidPrefix) {
        return stack.queryLong(cluster, database,
                "SELECT count(*) FROM pg_prepared_xacts WHERE starts_with(gid, ?)", gidPrefix);
    }

    private String coordinatorState(UUID order) {
        return text(Topology.POSTGRES_COORDINATOR, "coordinator",
                "SELECT state FROM twopc_transaction WHERE gid = ?", Gid.of(order));
    }

    private int available(String sku) {
        return (int) stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory",
                "SELECT available FROM product WHERE sku = ?", sku);
    }

    private BigDecimal balance(String customer) {
        return new BigDecimal(text(Topology.POSTGRES_PAYMENT, "payment",
                "SELECT balance::text FROM account WHERE customer_id = ?", customer));
    }

    private String text(String cluster, String database, String sql, Object param) {
        try (Connection c = stack.jdbc(cluster, database); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A POST signed with the stack's internal secret, as the coordinator sends it. */
    private JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> response = send(url, body, new RequestSignature(stack.internalSecret())
                .headers("POST", URI.create(url).getRawPath(), body.getBytes(StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}

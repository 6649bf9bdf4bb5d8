package io.txlab.systemtests.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.systemtests.support.FlowScenarios;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.OrdersClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Flow {@code orchestration} end to end on the full local stack: order-service starts {@code PlaceOrderWorkflow} in
 * the Temporal test server, saga-orchestrator runs it, and the activities run inside inventory-, payment- and
 * order-service. Happy path, declined payment and out of stock with their compensations, a repeated request, and
 * SIGKILLs of the orchestrator and of payment-service while sagas are in flight (the Temporal server is never
 * killed: it keeps everything in memory).
 */
class OrchestrationFlowIT extends FlowScenarios {

    private static final Duration FINAL = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private boolean paymentArmed;

    @Override
    protected Flow flow() {
        return Flow.ORCHESTRATION;
    }

    @Override
    protected Duration finalWithin() {
        return FINAL;
    }

    @AfterEach
    void everyProcessBackAndNothingCreatedOrLost() {
        // A kill test that failed half-way must not leave a dead process to the next test.
        if (!stack.isAlive(Topology.SAGA_ORCHESTRATOR)) {
            stack.restart(Topology.SAGA_ORCHESTRATOR);
        }
        if (paymentArmed || !stack.isAlive(Topology.PAYMENT_SERVICE)) {
            stack.restart(Topology.PAYMENT_SERVICE);
            paymentArmed = false;
        }
        assertThat(stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory",
                "SELECT count(*) FROM stock_conservation WHERE discrepancy <> 0")).isZero();
        assertThat(stack.queryLong(Topology.POSTGRES_PAYMENT, "payment",
                "SELECT count(*) FROM money_conservation WHERE discrepancy <> 0")).isZero();
    }

    @Override
    protected void afterConfirmed(UUID order) {
        assertThat(reservationStatus(order)).isEqualTo("RESERVED");
        assertThat(paymentStatus(order)).isEqualTo("AUTHORIZED");
        JsonNode saga = saga(order);
        assertThat(saga.get("currentStep").asString()).isEqualTo("FINISHED");
        assertThat(steps(saga.get("completedSteps")))
                .containsExactly("RESERVE_STOCK", "AUTHORIZE_PAYMENT", "CONFIRM_ORDER");
        assertThat(saga.get("outcome").get("status").asString()).isEqualTo("CONFIRMED");
        // saga-orchestrator serves the same query.
        assertThat(get(stack.url(Topology.SAGA_ORCHESTRATOR) + "/sagas/" + order).statusCode()).isEqualTo(200);
    }

    @Override
    protected void afterDeclined(UUID order) {
        assertThat(reservationStatus(order)).isEqualTo("RELEASED");
        assertThat(paymentStatus(order)).isEqualTo("DECLINED");
        assertThat(steps(saga(order).get("compensations"))).containsExactly("RELEASE_STOCK");
    }

    @Override
    protected void afterOutOfStock(UUID order) {
        assertThat(reservationStatus(order)).isEqualTo("REJECTED");
        assertThat(stack.queryLong(Topology.POSTGRES_PAYMENT, "payment",
                "SELECT count(*) FROM payment WHERE order_id = ?", order)).isZero();
    }

    /** One saga: one reserve and one authorization in its history. */
    @Override
    protected void afterDuplicate(UUID order) {
        assertThat(steps(saga(order).get("completedSteps")))
                .containsExactly("RESERVE_STOCK", "AUTHORIZE_PAYMENT", "CONFIRM_ORDER");
    }

    /**
     * adr/0038: the payment activity cannot reach its worker; at the deadline the saga cancels the order (order-service
     * answers), and its refund and release run once payment-service reaches Temporal again.
     */
    @Test
    void anOrderWhosePaymentStepHangsIsCancelledAtItsDeadlineAndCompensated() {
        aStepHangingBehindTheLinkIsCancelledAtTheOrdersDeadline(Topology.PAYMENT_SERVICE, Topology.TEMPORAL);
    }

    @Test
    void sagasWaitingWhileTheOrchestratorIsKilledCompleteAfterItsRestart() {
        // order-service validates customers against payment-service through a cache: fill it while payment is up.
        UUID warmUp = placeSeveral("C-0405", "SKU-0405", 1).get(0);
        stack.orders().awaitFinal(warmUp, FINAL);
        // Payment-service down first, so every saga is certainly mid-way: stock reserved, authorization waiting.
        stack.kill(Topology.PAYMENT_SERVICE);
        List<UUID> orders = placeSeveral("C-0405", "SKU-0405", 5);
        for (UUID order : orders) {
            awaitCondition("saga of " + order + " waits at AUTHORIZE_PAYMENT", Duration.ofSeconds(60),
                    () -> "AUTHORIZE_PAYMENT".equals(currentStep(order)));
        }

        stack.kill(Topology.SAGA_ORCHESTRATOR);
        stack.restart(Topology.PAYMENT_SERVICE);
        stack.restart(Topology.SAGA_ORCHESTRATOR);

        for (UUID order : orders) {
            assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asString()).isEqualTo("CONFIRMED");
            assertThat(paymentStatus(order)).isEqualTo("AUTHORIZED");
        }
    }

    /**
     * payment-service halts (exit 137, like SIGKILL) after the debit committed and before Temporal heard of it. The
     * lost activity attempt times out, the retry on the restarted service replays the decision: CONFIRMED, debited once.
     */
    @Override
    protected void crashMidFlow() {
        long balanceBefore = balanceCents("C-0406");
        stack.restart(Topology.PAYMENT_SERVICE, Map.of("SPRING_PROFILES_ACTIVE", "chaos",
                "TXLAB_CHAOS_CRASH_POINTS", CrashPointNames.ORCHESTRATION_AFTER_AUTHORIZE_COMMIT));
        paymentArmed = true;
        UUID order = placeSeveral("C-0406", "SKU-0406", 1).get(0);
        awaitCondition("payment-service halted at the crash point", Duration.ofSeconds(60),
                () -> !stack.isAlive(Topology.PAYMENT_SERVICE));
        assertThat(paymentStatus(order)).isEqualTo("AUTHORIZED");
        assertThat(currentStep(order)).isEqualTo("AUTHORIZE_PAYMENT");

        stack.restart(Topology.PAYMENT_SERVICE);
        paymentArmed = false;

        // The lost attempt times out (start-to-close) and the retry on the restarted service replays the decision.
        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(balanceCents("C-0406")).isEqualTo(balanceBefore - Orders.cents("SKU-0406", 1));
    }

    @Test
    void ordersPlacedJustBeforePaymentServiceIsKilledAllComplete() {
        long balanceBefore = balanceCents("C-0407");
        List<UUID> orders = placeSeveral("C-0407", "SKU-0407", 8);
        stack.kill(Topology.PAYMENT_SERVICE);

        stack.restart(Topology.PAYMENT_SERVICE);

        for (UUID order : orders) {
            assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asString()).isEqualTo("CONFIRMED");
        }
        assertThat(balanceCents("C-0407")).isEqualTo(balanceBefore - Orders.cents("SKU-0407", orders.size()));
    }

    private List<UUID> placeSeveral(String customer, String sku, int count) {
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            OrdersClient.Response placed = stack.orders().place(Flow.ORCHESTRATION, customer,
                    List.of(Orders.line(sku, 1)));
            assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
            orders.add(placed.orderId());
        }
        return orders;
    }

    /** The workflow's own document, as {@code GET /orders/{id}/steps} carries it ({@code flowDetail}). */
    private JsonNode saga(UUID order) {
        OrdersClient.Response steps = stack.orders().getPath("/orders/" + order + "/steps");
        assertThat(steps.status()).as(steps.body().toString()).isEqualTo(200);
        assertThat(steps.body().get("source").asString()).as(steps.body().toString()).isEqualTo("workflow");
        return steps.body().get("flowDetail");
    }

    private String currentStep(UUID order) {
        OrdersClient.Response steps = stack.orders().getPath("/orders/" + order + "/steps");
        JsonNode saga = steps.status() == 200 ? steps.body().get("flowDetail") : null;
        return saga != null && !saga.isNull() ? saga.get("currentStep").asString()
                : "HTTP " + steps.status() + " " + steps.body();
    }

    private static List<String> steps(JsonNode records) {
        List<String> steps = new ArrayList<>();
        records.forEach(record -> steps.add(record.get("step").asString()));
        return steps;
    }

    private String reservationStatus(UUID order) {
        return statusOf(Topology.POSTGRES_INVENTORY, "inventory", "reservation", order);
    }

    private String paymentStatus(UUID order) {
        return statusOf(Topology.POSTGRES_PAYMENT, "payment", "payment", order);
    }

    private String statusOf(String cluster, String database, String table, UUID order) {
        for (String status : List.of("RESERVED", "RELEASED", "REJECTED", "AUTHORIZED", "DECLINED", "REFUNDED")) {
            if (stack.queryLong(cluster, database,
                    "SELECT count(*) FROM " + table + " WHERE order_id = ? AND status = ?", order, status) == 1) {
                return status;
            }
        }
        return "none";
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + url + ": " + e.getMessage(), e);
        }
    }

    private static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
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

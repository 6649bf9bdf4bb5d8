package io.txlab.systemtests.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.devstack.links.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The scenarios every flow passes on the full stack, under the same names in all five flow ITs: the happy path, a
 * declined payment, out of stock, a duplicate request and a crash mid-flow. The first four check the same things the
 * same way for every flow: the order's final status and reason through the public API, and stock and money where the
 * flow keeps them ({@link #stock}, {@link #balanceCents}). A flow adds what only it can show in the {@code after...}
 * hooks (a saga's compensations, 2PC's prepared branches) and says how it crashes in {@link #crashMidFlow}.
 */
public abstract class FlowScenarios {

    protected final SystemStack stack = SystemStack.get();

    protected abstract Flow flow();

    /** How long an order may take to become final; the crash scenarios wait for restarts on top. */
    protected Duration finalWithin() {
        return Duration.ofSeconds(90);
    }

    /**
     * The flow's crash scenario: a process killed (or halted at the flow's own crash point) while an order is
     * between two of its steps, and the outcome the flow promises for that order afterwards.
     */
    protected abstract void crashMidFlow() throws Exception;

    @Test
    void happyPathConfirms() {
        String sku = randomSku();
        long stockBefore = stock(sku);
        long balanceBefore = balanceCents(Orders.RICH);

        OrdersClient.Response placed = stack.orders().place(flow(), Orders.RICH, List.of(Orders.line(sku, 2)));

        assertThat(placed.status()).as("%s", placed.body()).isEqualTo(201);
        UUID order = placed.orderId();
        assertThat(awaitFinal(order).get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(stock(sku)).as("stock of %s", sku).isEqualTo(stockBefore - 2);
        assertThat(balanceCents(Orders.RICH)).isEqualTo(balanceBefore - Orders.cents(sku, 2));
        afterConfirmed(order);
    }

    @Test
    void aDeclinedPaymentCancelsAndLeavesStockAsItWas() {
        String sku = randomSku();
        long stockBefore = stock(sku);

        UUID order = place(Orders.BROKE, List.of(Orders.line(sku, 1)));

        JsonNode last = awaitFinal(order);
        assertThat(last.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(last.get("reason").asString()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(stock(sku)).as("stock of %s", sku).isEqualTo(stockBefore);
        afterDeclined(order);
    }

    @Test
    void outOfStockCancelsWithNothingCharged() {
        String sku = randomSku();
        long stockBefore = stock(sku);
        long balanceBefore = balanceCents(Orders.RICH);

        UUID order = place(Orders.RICH, List.of(Orders.line(sku, 2), Orders.line(Orders.SOLD_OUT, 1)));

        JsonNode last = awaitFinal(order);
        assertThat(last.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(last.get("reason").asString()).isEqualTo("OUT_OF_STOCK");
        assertThat(stock(sku)).as("the line that was in stock is given back").isEqualTo(stockBefore);
        assertThat(balanceCents(Orders.RICH)).isEqualTo(balanceBefore);
        afterOutOfStock(order);
    }

    @Test
    void aDuplicateRequestPlacesOneOrderAndAppliesItOnce() {
        String sku = randomSku();
        long stockBefore = stock(sku);
        long balanceBefore = balanceCents(Orders.RICH);
        String key = flow().id() + "-duplicate-" + UUID.randomUUID();

        OrdersClient.Response first = stack.orders().place(key, flow(), Orders.RICH, List.of(Orders.line(sku, 1)));
        OrdersClient.Response again = stack.orders().place(key, flow(), Orders.RICH, List.of(Orders.line(sku, 1)));

        assertThat(first.status()).as("%s", first.body()).isEqualTo(201);
        assertThat(again.status()).as("%s", again.body()).isEqualTo(200);
        assertThat(again.orderId()).isEqualTo(first.orderId());
        assertThat(awaitFinal(first.orderId()).get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(stock(sku)).isEqualTo(stockBefore - 1);
        assertThat(balanceCents(Orders.RICH)).isEqualTo(balanceBefore - Orders.cents(sku, 1));
        afterDuplicate(first.orderId());
    }

    @Test
    void aCrashMidFlowEndsTheOrderAsTheFlowPromises() throws Exception {
        crashMidFlow();
    }

    // ---- what a flow adds ----

    /** After the happy path's order is CONFIRMED and its stock and money checked. */
    protected void afterConfirmed(UUID order) {
    }

    /** After the declined order is CANCELLED and its stock checked. */
    protected void afterDeclined(UUID order) {
    }

    /** After the out-of-stock order is CANCELLED and its stock and money checked. */
    protected void afterOutOfStock(UUID order) {
    }

    /** After the duplicated order is CONFIRMED and applied once. */
    protected void afterDuplicate(UUID order) {
    }

    /**
     * Waits until the final order's effects are all visible where {@link #stock} and {@link #balanceCents} read
     * them. Nothing to wait for by default; 2PC's order branch commits in parallel with the others.
     */
    protected void awaitSettled(UUID order) {
    }

    // ---- where the flow keeps stock and money (the saga services' databases unless overridden) ----

    protected long stock(String sku) {
        return stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory", "SELECT available FROM product WHERE sku = ?",
                sku);
    }

    protected long balanceCents(String customer) {
        return stack.queryLong(Topology.POSTGRES_PAYMENT, "payment",
                "SELECT (balance * 100)::bigint FROM account WHERE customer_id = ?", customer);
    }

    /**
     * adr/0038: the link {@code from>to} that the flow's payment step travels is partitioned, and an order placed with
     * a 2 s deadline hangs there. It is cancelled {@code DEADLINE_EXCEEDED} within seconds of its deadline while the
     * link is still cut; once it heals, its stock and money are back as they were (the compensations that needed the
     * participant ran), and the order stays cancelled.
     */
    protected void aStepHangingBehindTheLinkIsCancelledAtTheOrdersDeadline(String from, String to) {
        String sku = randomSku();
        UUID warm = place(Orders.RICH, List.of(Orders.line(sku, 1)));
        assertThat(awaitFinal(warm).get("status").asString()).isEqualTo("CONFIRMED");
        long stockBefore = stock(sku);
        long balanceBefore = balanceCents(Orders.RICH);

        UUID order;
        stack.fault(from, to, Fault.partition());
        try {
            OrdersClient.Response placed = stack.orders().place(UUID.randomUUID().toString(), flow(), Orders.RICH,
                    List.of(Orders.line(sku, 2)), 2.0);
            assertThat(placed.status()).as("%s", placed.body()).isEqualTo(201);
            order = placed.orderId();
            Instant created = Instant.parse(placed.body().get("createdAt").asString());
            assertThat(Instant.parse(placed.body().get("deadlineAt").asString())).isEqualTo(created.plusSeconds(2));

            JsonNode cancelled = stack.orders().awaitFinal(order, Duration.ofSeconds(40));
            assertThat(cancelled.get("status").asString()).as("%s", cancelled).isEqualTo("CANCELLED");
            assertThat(cancelled.get("reason").asString()).isEqualTo("DEADLINE_EXCEEDED");
            // while the link is still cut: the deadline, not the heal, ended it
            assertThat(Duration.between(created, Instant.parse(cancelled.get("completedAt").asString())))
                    .isLessThan(Duration.ofSeconds(30));
        } finally {
            stack.fault(from, to, Fault.NONE);
        }

        awaitSettled(order);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while ((stock(sku) != stockBefore || balanceCents(Orders.RICH) != balanceBefore)
                && System.nanoTime() < deadline) {
            sleep(250);
        }
        assertThat(stock(sku)).as("stock of %s once compensated", sku).isEqualTo(stockBefore);
        assertThat(balanceCents(Orders.RICH)).as("balance once compensated").isEqualTo(balanceBefore);
        sleep(1000); // the step that hung arrives after the heal, and must change nothing
        JsonNode after = stack.orders().get(order).body();
        assertThat(after.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(after.get("reason").asString()).isEqualTo("DEADLINE_EXCEEDED");
        assertThat(stock(sku)).isEqualTo(stockBefore);
        assertThat(balanceCents(Orders.RICH)).isEqualTo(balanceBefore);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers ----

    /** The order's final state from the long-poll, once its effects are settled. */
    protected JsonNode awaitFinal(UUID order) {
        JsonNode last = stack.orders().awaitFinal(order, finalWithin());
        awaitSettled(order);
        return last;
    }

    protected UUID place(String customer, List<io.txlab.contracts.order.OrderLine> lines) {
        OrdersClient.Response response = stack.orders().place(flow(), customer, lines);
        assertThat(response.status()).as("%s", response.body()).isEqualTo(201);
        return response.orderId();
    }

    /** A seeded SKU with plenty of stock, different from one test to the next. */
    protected static String randomSku() {
        return "SKU-%04d".formatted(ThreadLocalRandom.current().nextInt(500, 1000));
    }
}

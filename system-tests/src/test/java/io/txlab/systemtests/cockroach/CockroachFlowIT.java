package io.txlab.systemtests.cockroach;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.systemtests.support.FlowScenarios;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.OrdersClient;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Flow {@code cockroach} end to end on the full local stack: the whole order is one serializable transaction on the
 * cockroach database (locally the PostgreSQL stand-in {@code postgres-cockroach}/{@code txlab}), so every order is
 * final when {@code POST /orders} answers, and every output names the backend that served it. The saga scenarios
 * collapse: a decline or a missing stock is a rolled-back transaction plus a CANCELLED record, with nothing to
 * compensate, and a crash leaves each order either whole or absent. (The "duplicate message delivery" scenario of the
 * event-driven flows has no counterpart: this flow sends no messages.)
 */
class CockroachFlowIT extends FlowScenarios {

    private static final String STANDIN = "postgresql-serializable-standin";
    private static final String CLUSTER = Topology.POSTGRES_COCKROACH;
    private static final String DATABASE = "txlab";

    @Override
    protected Flow flow() {
        return Flow.COCKROACH;
    }

    @AfterEach
    void stockAndMoneyConserved() {
        assertThat(stack.queryLong(CLUSTER, DATABASE,
                "SELECT count(*) FROM stock_conservation WHERE discrepancy <> 0")).isZero();
        assertThat(stack.queryLong(CLUSTER, DATABASE,
                "SELECT count(*) FROM money_conservation WHERE discrepancy <> 0")).isZero();
    }

    /** Stock and money live in the flow's own database, next to the order. */
    @Override
    protected long stock(String sku) {
        return stack.queryLong(CLUSTER, DATABASE, "SELECT available FROM product WHERE sku = ?", sku);
    }

    @Override
    protected long balanceCents(String customer) {
        return stack.queryLong(CLUSTER, DATABASE,
                "SELECT (balance * 100)::bigint FROM account WHERE customer_id = ?", customer);
    }

    /**
     * One system of record: the payment is in the flow's database, and neither order-service's own database nor the
     * saga services' are touched. Final on return: the long-poll answers at once with the same order.
     */
    @Override
    protected void afterConfirmed(UUID order) {
        JsonNode stored = stack.orders().get(order).body();
        assertThat(stored.get("backend").asString()).isEqualTo(STANDIN);
        BigDecimal total = new BigDecimal(stored.get("total").asString());
        assertThat(stack.queryLong(CLUSTER, DATABASE,
                "SELECT count(*) FROM payment WHERE order_id = ? AND status = 'AUTHORIZED' AND amount = ?", order,
                total)).isEqualTo(1);
        assertThat(stack.queryLong(Topology.POSTGRES_ORDER, "orders",
                "SELECT count(*) FROM purchase_order WHERE id = ?", order)).isZero();
        assertThat(stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory",
                "SELECT count(*) FROM reservation WHERE order_id = ?", order)).isZero();
        assertThat(stack.orders().awaitFinal(order, Duration.ofSeconds(5))).isEqualTo(stored);
    }

    @Override
    protected void afterDeclined(UUID order) {
        assertThat(stack.orders().get(order).body().get("backend").asString()).isEqualTo(STANDIN);
        assertThat(stack.queryLong(CLUSTER, DATABASE, "SELECT count(*) FROM payment WHERE order_id = ?", order))
                .isZero();
    }

    @Override
    protected void afterOutOfStock(UUID order) {
        assertThat(stack.queryLong(CLUSTER, DATABASE, "SELECT count(*) FROM payment WHERE order_id = ?", order))
                .isZero();
    }

    @Override
    protected void afterDuplicate(UUID order) {
        assertThat(stack.queryLong(CLUSTER, DATABASE, "SELECT count(*) FROM payment WHERE order_id = ?", order))
                .isEqualTo(1);
    }

    /**
     * order-service SIGKILLed while orders are being placed: each order's one transaction committed whole or not at
     * all. After the restart every key is sent again and answers one CONFIRMED order (200: placed before the kill;
     * 201: placed now), and stock and money moved by exactly one order per key.
     */
    @Override
    protected void crashMidFlow() throws Exception {
        String sku = randomSku();
        long stockBefore = stock(sku);
        long balanceBefore = balanceCents(Orders.RICH);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add("cockroach-crash-" + UUID.randomUUID());
        }
        ExecutorService clients = Executors.newFixedThreadPool(3);
        try {
            for (String key : keys) {
                clients.submit(() -> {
                    try {
                        stack.orders().place(key, Flow.COCKROACH, Orders.RICH, List.of(Orders.line(sku, 1)));
                    } catch (OrdersClient.UncheckedIOException e) {
                        // order-service is gone: whether this order committed is what the retry below finds out.
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (placed(keys) < 5 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(placed(keys)).as("orders committed before the kill").isGreaterThanOrEqualTo(5);
            stack.kill(Topology.ORDER_SERVICE);
        } finally {
            clients.shutdown();
            clients.awaitTermination(60, TimeUnit.SECONDS);
            stack.restart(Topology.ORDER_SERVICE);
        }
        long committedBeforeTheKill = placed(keys);

        int replayed = 0;
        for (String key : keys) {
            OrdersClient.Response again = stack.orders().place(key, Flow.COCKROACH, Orders.RICH,
                    List.of(Orders.line(sku, 1)));
            assertThat(again.status()).as("%s: %s", key, again.body()).isIn(200, 201);
            assertThat(again.orderStatus()).isEqualTo("CONFIRMED");
            replayed += again.status() == 200 ? 1 : 0;
        }

        assertThat(replayed).as("keys whose order committed before the kill answer it again")
                .isEqualTo(committedBeforeTheKill);
        assertThat(placed(keys)).as("one order per key").isEqualTo(keys.size());
        assertThat(stock(sku)).isEqualTo(stockBefore - keys.size());
        assertThat(balanceCents(Orders.RICH)).isEqualTo(balanceBefore - Orders.cents(sku, keys.size()));
    }

    @Test
    void theBackendIsLabelledTruthfullyInInfoAndTheStartupLog() throws IOException {
        OrdersClient.Response info = stack.orders().getPath("/actuator/info");

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.body().at("/txlab/cockroach/backend").asString()).isEqualTo(STANDIN);
        assertThat(info.body().at("/txlab/cockroach/serverVersion").asString()).startsWith("PostgreSQL");
        assertThat(Files.readString(stack.logFile(Topology.ORDER_SERVICE)))
                .contains("cockroach flow: backend " + STANDIN)
                .contains("this is PostgreSQL standing in for CockroachDB");
    }

    /** How many of {@code keys} have an order in the flow's database. */
    private long placed(List<String> keys) {
        return stack.queryLong(CLUSTER, DATABASE,
                "SELECT count(*) FROM purchase_order WHERE idempotency_key = ANY (string_to_array(?, ','))",
                String.join(",", keys));
    }
}

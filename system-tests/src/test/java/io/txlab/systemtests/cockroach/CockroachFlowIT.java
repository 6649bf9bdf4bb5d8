package io.txlab.systemtests.cockroach;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.OrdersClient;
import io.txlab.systemtests.support.SystemStack;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Flow {@code cockroach} end to end on the full local stack: the whole order is one serializable transaction on the
 * cockroach database (locally the PostgreSQL stand-in {@code postgres-cockroach}/{@code txlab}), so every order is
 * final when {@code POST /orders} answers, and every output names the backend that served it. The saga scenarios
 * collapse: a decline or a missing stock is a rolled-back transaction plus a CANCELLED record, with nothing to
 * compensate. (The "duplicate message delivery" scenario of the other flows has no counterpart: this flow sends no
 * messages.)
 */
class CockroachFlowIT {

    private static final String STANDIN = "postgresql-serializable-standin";
    private static final String CLUSTER = Topology.POSTGRES_COCKROACH;
    private static final String DATABASE = "txlab";

    private final SystemStack stack = SystemStack.get();

    @Test
    void happyPathConfirmsOnReturnWithStockBalanceAndPaymentInOneDatabase() {
        long stockBefore = stock("SKU-0031");
        long centsBefore = balanceCents("C-0031");
        long inventoryBefore = stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory",
                "SELECT available FROM product WHERE sku = ?", "SKU-0031");

        OrdersClient.Response placed = stack.orders().place(Flow.COCKROACH, "C-0031",
                List.of(Orders.line("SKU-0031", 3)));

        assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
        assertThat(placed.orderStatus()).isEqualTo("CONFIRMED");
        assertThat(placed.body().get("backend").asString()).isEqualTo(STANDIN);
        UUID id = placed.orderId();
        assertThat(stock("SKU-0031")).isEqualTo(stockBefore - 3);
        assertThat(balanceCents("C-0031")).isEqualTo(centsBefore - Orders.cents("SKU-0031", 3));
        assertThat(stack.queryLong(CLUSTER, DATABASE,
                "SELECT count(*) FROM payment WHERE order_id = ? AND status = 'AUTHORIZED' AND amount = ?", id, Orders.price("SKU-0031").multiply(BigDecimal.valueOf(3))))
                .isEqualTo(1);
        // One system of record: neither order-service's own database nor the saga services' databases are touched.
        assertThat(stack.queryLong(Topology.POSTGRES_ORDER, "orders",
                "SELECT count(*) FROM purchase_order WHERE id = ?", id)).isZero();
        assertThat(stack.queryLong(Topology.POSTGRES_INVENTORY, "inventory",
                "SELECT available FROM product WHERE sku = ?", "SKU-0031")).isEqualTo(inventoryBefore);
        // Final on return: the long-poll answers at once with the same order.
        JsonNode polled = stack.orders().awaitFinal(id, Duration.ofSeconds(5));
        assertThat(polled).isEqualTo(placed.body());
        assertConserved();
    }

    @Test
    void aDeclinedPaymentCancelsTheOrderAndAppliesNothing() {
        long stockBefore = stock("SKU-0032");

        OrdersClient.Response placed = stack.orders().place(Flow.COCKROACH, Orders.BROKE,
                List.of(Orders.line("SKU-0032", 1)));

        assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
        assertThat(placed.orderStatus()).isEqualTo("CANCELLED");
        assertThat(placed.body().get("reason").asString()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(placed.body().get("backend").asString()).isEqualTo(STANDIN);
        assertThat(stock("SKU-0032")).isEqualTo(stockBefore);
        assertThat(stack.queryLong(CLUSTER, DATABASE, "SELECT count(*) FROM payment WHERE order_id = ?",
                placed.orderId())).isZero();
        assertThat(stack.orders().get(placed.orderId()).orderStatus()).isEqualTo("CANCELLED");
        assertConserved();
    }

    @Test
    void outOfStockCancelsTheOrderAndGivesBackTheOtherLines() {
        long stockBefore = stock("SKU-0033");
        long centsBefore = balanceCents("C-0033");

        OrdersClient.Response placed = stack.orders().place(Flow.COCKROACH, "C-0033",
                List.of(Orders.line("SKU-0033", 2), Orders.line(Orders.SOLD_OUT, 1)));

        assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
        assertThat(placed.orderStatus()).isEqualTo("CANCELLED");
        assertThat(placed.body().get("reason").asString()).isEqualTo("OUT_OF_STOCK");
        assertThat(stock("SKU-0033")).isEqualTo(stockBefore);
        assertThat(balanceCents("C-0033")).isEqualTo(centsBefore);
        assertConserved();
    }

    @Test
    void aDuplicateRequestReplaysTheOrderAndAppliesItOnce() {
        long stockBefore = stock("SKU-0034");
        String key = "cockroach-e2e-" + UUID.randomUUID();

        OrdersClient.Response first = stack.orders().place(key, Flow.COCKROACH, "C-0034",
                List.of(Orders.line("SKU-0034", 1)));
        OrdersClient.Response second = stack.orders().place(key, Flow.COCKROACH, "C-0034",
                List.of(Orders.line("SKU-0034", 1)));

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(stock("SKU-0034")).isEqualTo(stockBefore - 1);
        assertThat(stack.queryLong(CLUSTER, DATABASE,
                "SELECT count(*) FROM purchase_order WHERE idempotency_key = ?", key)).isEqualTo(1);
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

    private long stock(String sku) {
        return stack.queryLong(CLUSTER, DATABASE, "SELECT available FROM product WHERE sku = ?", sku);
    }

    private long balanceCents(String customer) {
        return stack.queryLong(CLUSTER, DATABASE,
                "SELECT (balance * 100)::bigint FROM account WHERE customer_id = ?", customer);
    }

    private void assertConserved() {
        assertThat(stack.queryLong(CLUSTER, DATABASE,
                "SELECT count(*) FROM stock_conservation WHERE discrepancy <> 0")).isZero();
        assertThat(stack.queryLong(CLUSTER, DATABASE,
                "SELECT count(*) FROM money_conservation WHERE discrepancy <> 0")).isZero();
    }
}

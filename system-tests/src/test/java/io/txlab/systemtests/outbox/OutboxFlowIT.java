package io.txlab.systemtests.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.systemtests.choreography.EventDrivenFlowScenarios;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.OrdersClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Flow {@code outbox} end to end: the same choreography, every event written to the service's outbox in its local
 * transaction and relayed by Debezium embedded. Plus the window the direct publish cannot survive: the process dies
 * after the order committed and before the relay published OrderPlaced; after a restart the event goes out.
 */
class OutboxFlowIT extends EventDrivenFlowScenarios {

    @Override
    protected Flow flow() {
        return Flow.OUTBOX;
    }

    /**
     * The window the direct publish cannot survive: order-service halts after the order and its OrderPlaced outbox row
     * committed and before the relay published the row. After the restart the relay publishes it and the order
     * completes.
     */
    @Override
    protected void crashMidFlow() {
        stack.restart(Topology.ORDER_SERVICE, Map.of("SPRING_PROFILES_ACTIVE", "chaos",
                "TXLAB_CHAOS_CRASH_POINTS", CrashPointNames.OUTBOX_AFTER_COMMIT_BEFORE_RELAY));
        String key = "outbox-crash-" + UUID.randomUUID();
        try {
            stack.orders().place(key, Flow.OUTBOX, Orders.RICH, Orders.happy());
        } catch (OrdersClient.UncheckedIOException e) {
            // The relay may halt the process before the HTTP answer is written: the order row is what counts.
        }
        await("order-service halted at the crash point", () -> !stack.isAlive(Topology.ORDER_SERVICE));
        UUID order = orderByKey(key).orElseThrow(() -> new AssertionError("the order was not committed"));
        assertThat(queryOrders("SELECT count(*) FROM outbox WHERE aggregateid = ? AND published_at IS NULL",
                order.toString())).as("OrderPlaced committed with the order, not yet relayed").isEqualTo(1);

        stack.restart(Topology.ORDER_SERVICE);

        assertThat(stack.orders().awaitFinal(order, FINAL).get("status").asText()).isEqualTo("CONFIRMED");
    }

    @Test
    void ordersPlacedWhileTheBrokerIsKilledAllCompleteOnceItIsBack() throws InterruptedException {
        String sku = randomSku();
        UUID warm = place(Orders.RICH, List.of(Orders.line(sku, 1)));
        assertThat(stack.orders().awaitFinal(warm, FINAL).get("status").asText()).isEqualTo("CONFIRMED");
        List<UUID> orders = new ArrayList<>();
        stack.kill(Topology.KAFKA);
        try {
            // Accepted while the broker is gone: each OrderPlaced waits in order-service's outbox.
            for (int i = 0; i < 3; i++) {
                orders.add(place(Orders.RICH, List.of(Orders.line(sku, 1))));
            }
            Thread.sleep(5_000);
        } finally {
            stack.restart(Topology.KAFKA);
        }

        orders.forEach(this::assertConfirmedOnce);
    }

    private Optional<UUID> orderByKey(String key) {
        try (Connection c = stack.jdbc(Topology.POSTGRES_ORDER, "orders");
             PreparedStatement ps = c.prepareStatement("SELECT id FROM purchase_order WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long queryOrders(String sql, Object... params) {
        return stack.queryLong(Topology.POSTGRES_ORDER, "orders", sql, params);
    }
}

package io.txlab.order.cockroach;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The order SQL of the {@code cockroach} flow over its own database (tables from order-service {@code db/order} and
 * {@code db/cockroach}); callers own the transactions. The stock and money SQL is the inventory and payment cores'.
 */
final class CockroachOrders {

    private final JdbcClient jdbc;

    CockroachOrders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a final order and its lines; {@code retries} is what its request needed so far. */
    void insert(Order order, String idempotencyKey, int retries) {
        jdbc.sql("""
                        INSERT INTO purchase_order (id, customer_id, flow, status, reason, total, created_at,
                                                    completed_at, idempotency_key, retries)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(order.id(), order.customerId(), order.flow().id(), order.status().name(), order.reason(),
                        order.total(), toTimestamp(order.createdAt()), toTimestamp(order.completedAt()),
                        idempotencyKey, retries)
                .update();
        // One multi-row INSERT: one round trip (on CockroachDB also one write batch) for up to 100 lines.
        StringJoiner values = new StringJoiner(", ");
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < order.lines().size(); i++) {
            OrderLine line = order.lines().get(i);
            values.add("(?, ?, ?, ?, ?)");
            params.addAll(List.of(order.id(), i + 1, line.sku(), line.quantity(), line.unitPrice()));
        }
        jdbc.sql("INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price) VALUES " + values)
                .params(params)
                .update();
    }

    Optional<Order> find(UUID id) {
        Optional<Order> order = jdbc.sql("""
                        SELECT id, customer_id, status, reason, total, created_at, completed_at
                        FROM purchase_order WHERE id = ?""")
                .param(id)
                .query(CockroachOrders::orderRow)
                .optional();
        if (order.isEmpty()) {
            return order;
        }
        List<OrderLine> lines = jdbc.sql("""
                        SELECT sku, quantity, unit_price FROM order_line WHERE order_id = ? ORDER BY line_no""")
                .param(id)
                .query((rs, row) -> new OrderLine(rs.getString("sku"), rs.getInt("quantity"),
                        rs.getBigDecimal("unit_price")))
                .list();
        Order row = order.get();
        return Optional.of(new Order(row.id(), row.customerId(), row.flow(), row.status(), row.reason(), row.total(),
                lines, row.createdAt(), row.completedAt()));
    }

    /** The retries recorded on an order, for tests and diagnostics. */
    Optional<Integer> retries(UUID id) {
        return jdbc.sql("SELECT retries FROM purchase_order WHERE id = ?").param(id).query(Integer.class).optional();
    }

    private static Order orderRow(ResultSet rs, int rowNum) throws SQLException {
        return new Order(
                rs.getObject("id", UUID.class),
                rs.getString("customer_id"),
                Flow.COCKROACH,
                OrderStatus.valueOf(rs.getString("status")),
                rs.getString("reason"),
                rs.getBigDecimal("total"),
                List.of(),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("completed_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime toTimestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}

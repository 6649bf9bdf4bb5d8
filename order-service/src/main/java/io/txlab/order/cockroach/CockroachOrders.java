package io.txlab.order.cockroach;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderStatus;
import java.math.BigDecimal;
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
 * The SQL of the {@code cockroach} flow over its own database (migrations {@code db/cockroach}); callers own the
 * transactions. Business rules are guards in the statements, so a refused change touches no row.
 */
final class CockroachOrders {

    private final JdbcClient jdbc;

    CockroachOrders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code available -= quantity} if that leaves it non-negative; false if out of stock or unknown. */
    boolean takeStock(String sku, int quantity) {
        return jdbc.sql("UPDATE product SET available = available - ? WHERE sku = ? AND available >= ?")
                .params(quantity, sku, quantity)
                .update() == 1;
    }

    /** The catalogue price of {@code sku}, empty if the SKU is unknown. */
    Optional<BigDecimal> price(String sku) {
        return jdbc.sql("SELECT price FROM product WHERE sku = ?").param(sku).query(BigDecimal.class).optional();
    }

    boolean productExists(String sku) {
        return jdbc.sql("SELECT count(*) FROM product WHERE sku = ?").param(sku).query(Long.class).single() > 0;
    }

    /** {@code balance -= amount} if that leaves it non-negative; false if the funds are short or the account unknown. */
    boolean debit(String customerId, BigDecimal amount) {
        return jdbc.sql("UPDATE account SET balance = balance - ? WHERE customer_id = ? AND balance >= ?")
                .params(amount, customerId, amount)
                .update() == 1;
    }

    boolean accountExists(String customerId) {
        return jdbc.sql("SELECT count(*) FROM account WHERE customer_id = ?")
                .param(customerId).query(Long.class).single() > 0;
    }

    void insertPayment(UUID orderId, String customerId, BigDecimal amount, Instant at) {
        jdbc.sql("""
                        INSERT INTO payment (order_id, customer_id, amount, status, created_at)
                        VALUES (?, ?, ?, 'AUTHORIZED', ?)""")
                .params(orderId, customerId, amount, toTimestamp(at))
                .update();
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

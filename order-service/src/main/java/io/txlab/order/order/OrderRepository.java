package io.txlab.order.order;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Plain SQL over {@code purchase_order} and {@code order_line}; callers own the transactions. */
@Repository
public class OrderRepository {

    private static final List<String> ORDER_COLUMN_NAMES = List.of(
            "id", "customer_id", "flow", "status", "reason", "total", "created_at", "completed_at", "deadline_at");
    private static final List<String> LINE_COLUMN_NAMES = List.of("sku", "quantity", "unit_price");
    private static final String ORDER_COLUMNS = columns("", ORDER_COLUMN_NAMES);
    private static final String LINE_COLUMNS = columns("", LINE_COLUMN_NAMES);

    /**
     * An order's columns and its lines, one row per line in line order, from the table or a CTE with its columns
     * ({@code %1$s}), filtered by {@code %2$s}: one round trip where a row and then its lines would take two.
     */
    private static final String JOINED_SELECT = "SELECT " + columns("o.", ORDER_COLUMN_NAMES) + ", "
            + columns("l.", LINE_COLUMN_NAMES)
            + " FROM %1$s o LEFT JOIN order_line l ON l.order_id = o.id %2$s ORDER BY l.line_no";

    private final JdbcClient jdbc;

    public OrderRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Order order, String idempotencyKey) {
        jdbc.sql("""
                        INSERT INTO purchase_order (id, customer_id, flow, status, reason, total, created_at,
                                                    completed_at, idempotency_key, deadline_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(order.id(), order.customerId(), order.flow().id(), order.status().name(), order.reason(),
                        order.total(), toTimestamp(order.createdAt()), toTimestamp(order.completedAt()),
                        idempotencyKey, toTimestamp(order.deadlineAt()))
                .update();
        // One multi-row INSERT: a single round trip for up to 100 lines.
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

    /**
     * Moves a PENDING order to {@code status} and reads it back in the same statement; the guard makes a final order
     * immune to later calls.
     *
     * @return the order as this call left it, or empty if it was already final (or does not exist)
     */
    public Optional<Order> finish(UUID id, OrderStatus status, String reason, Instant completedAt) {
        return withLinesJoined(jdbc.sql("WITH finished AS (UPDATE purchase_order SET status = ?, reason = ?,"
                        + " completed_at = ? WHERE id = ? AND status = 'PENDING' RETURNING " + ORDER_COLUMNS + ") "
                        + JOINED_SELECT.formatted("finished", ""))
                .params(status.name(), reason, toTimestamp(completedAt), id));
    }

    /** Ids of PENDING orders of {@code flow} created before {@code createdBefore}, oldest first. */
    public List<UUID> findPendingIds(Flow flow, Instant createdBefore, int limit) {
        return jdbc.sql("""
                        SELECT id FROM purchase_order
                        WHERE status = 'PENDING' AND flow = ? AND created_at < ?
                        ORDER BY created_at LIMIT ?""")
                .params(flow.id(), toTimestamp(createdBefore), limit)
                .query(UUID.class)
                .list();
    }

    /**
     * Ids of PENDING orders of {@code flows} whose deadline is before {@code now}, earliest deadline first. Served by the
     * partial index of PENDING orders (V2): a few rows however many final orders the table holds.
     */
    public List<UUID> findPastDeadline(Collection<Flow> flows, Instant now, int limit) {
        return jdbc.sql("""
                        SELECT id FROM purchase_order
                        WHERE status = 'PENDING' AND flow IN (:flows) AND deadline_at < :now
                        ORDER BY deadline_at LIMIT :limit""")
                .param("flows", flows.stream().map(Flow::id).toList())
                .param("now", toTimestamp(now))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** An operator marked the order resolved (table {@code order_operator_action}, adr/0037). */
    private static final String RESOLVED = "EXISTS (SELECT 1 FROM order_operator_action a"
            + " WHERE a.order_id = purchase_order.id AND a.action = 'RESOLVE')";

    /**
     * Orders in {@code status} created before {@code createdBefore}, every flow, oldest first, at most {@code limit};
     * without those an operator marked resolved unless {@code withResolved}.
     */
    public List<Order> findOlderThan(OrderStatus status, Instant createdBefore, boolean withResolved, int limit) {
        return withLines(jdbc.sql("SELECT " + ORDER_COLUMNS
                        + " FROM purchase_order WHERE status = ? AND created_at < ?"
                        + (withResolved ? "" : " AND NOT " + RESOLVED) + " ORDER BY created_at LIMIT ?")
                .params(status.name(), toTimestamp(createdBefore), limit)
                .query(OrderRepository::orderRow)
                .list());
    }

    /**
     * Per flow: orders in each status; the PENDING ones created before the cut-off that no operator marked resolved
     * (stuck), and those an operator did mark resolved while still PENDING (resolved).
     */
    public record FlowCounts(String flow, long pending, long stuck, long resolved, long confirmed, long cancelled) {
    }

    /** One row per flow that has orders, by flow id. */
    public List<FlowCounts> countByFlow(Instant stuckBefore) {
        return jdbc.sql("""
                        SELECT flow,
                               count(*) FILTER (WHERE status = 'PENDING') AS pending,
                               count(*) FILTER (WHERE status = 'PENDING' AND created_at < ? AND NOT %1$s) AS stuck,
                               count(*) FILTER (WHERE status = 'PENDING' AND %1$s) AS resolved,
                               count(*) FILTER (WHERE status = 'CONFIRMED') AS confirmed,
                               count(*) FILTER (WHERE status = 'CANCELLED') AS cancelled
                        FROM purchase_order GROUP BY flow ORDER BY flow""".formatted(RESOLVED))
                .param(toTimestamp(stuckBefore))
                .query((rs, n) -> new FlowCounts(rs.getString("flow"), rs.getLong("pending"), rs.getLong("stuck"),
                        rs.getLong("resolved"), rs.getLong("confirmed"), rs.getLong("cancelled")))
                .list();
    }

    /** The order with its lines, in one round trip. */
    public Optional<Order> find(UUID id) {
        return withLinesJoined(jdbc.sql(JOINED_SELECT.formatted("purchase_order", "WHERE o.id = ?")).param(id));
    }

    /** The orders among {@code ids} that exist, in no particular order. */
    public List<Order> findAll(Collection<UUID> ids) {
        return withLines(jdbc.sql("SELECT " + ORDER_COLUMNS + " FROM purchase_order WHERE id IN (:ids)")
                .param("ids", ids)
                .query(OrderRepository::orderRow)
                .list());
    }

    /** The orders among {@code ids} that are final; one query however many are still pending. */
    public List<Order> findFinal(Collection<UUID> ids) {
        return withLines(jdbc.sql("SELECT " + ORDER_COLUMNS
                        + " FROM purchase_order WHERE id IN (:ids) AND status <> 'PENDING'")
                .param("ids", ids)
                .query(OrderRepository::orderRow)
                .list());
    }

    /** The one order of a {@link #JOINED_SELECT} query, its lines in line order; empty when it matched no order. */
    private static Optional<Order> withLinesJoined(JdbcClient.StatementSpec query) {
        OrderRow[] row = {null};
        List<OrderLine> lines = new ArrayList<>();
        query.query((RowCallbackHandler) rs -> {
            if (row[0] == null) {
                row[0] = orderRow(rs, 0);
            }
            if (rs.getString("sku") != null) {
                lines.add(line(rs));
            }
        });
        return Optional.ofNullable(row[0]).map(found -> found.withLines(List.copyOf(lines)));
    }

    private List<Order> withLines(List<OrderRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<OrderLine>> lines = lines(rows.stream().map(OrderRow::id).toList());
        return rows.stream().map(row -> row.withLines(lines.getOrDefault(row.id(), List.of()))).toList();
    }

    private Map<UUID, List<OrderLine>> lines(Collection<UUID> orderIds) {
        Map<UUID, List<OrderLine>> byOrder = new HashMap<>();
        jdbc.sql("""
                        SELECT order_id, %s FROM order_line
                        WHERE order_id IN (:ids) ORDER BY order_id, line_no""".formatted(LINE_COLUMNS))
                .param("ids", orderIds)
                .query((RowCallbackHandler) rs -> byOrder
                        .computeIfAbsent(rs.getObject("order_id", UUID.class), id -> new ArrayList<>()).add(line(rs)));
        return byOrder;
    }

    private static String columns(String prefix, List<String> names) {
        return String.join(", ", names.stream().map(prefix::concat).toList());
    }

    /** A line from a row with {@link #LINE_COLUMNS}. */
    private static OrderLine line(ResultSet rs) throws SQLException {
        return new OrderLine(rs.getString("sku"), rs.getInt("quantity"), rs.getBigDecimal("unit_price"));
    }

    private static OrderRow orderRow(ResultSet rs, int rowNum) throws SQLException {
        return new OrderRow(
                rs.getObject("id", UUID.class),
                rs.getString("customer_id"),
                Flow.fromId(rs.getString("flow")),
                OrderStatus.valueOf(rs.getString("status")),
                rs.getString("reason"),
                rs.getBigDecimal("total"),
                toInstant(rs.getObject("created_at", OffsetDateTime.class)),
                toInstant(rs.getObject("completed_at", OffsetDateTime.class)),
                toInstant(rs.getObject("deadline_at", OffsetDateTime.class)));
    }

    private static OffsetDateTime toTimestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant toInstant(OffsetDateTime timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private record OrderRow(UUID id, String customerId, Flow flow, OrderStatus status, String reason,
                            BigDecimal total, Instant createdAt, Instant completedAt, Instant deadlineAt) {

        Order withLines(List<OrderLine> lines) {
            return new Order(id, customerId, flow, status, reason, total, lines, createdAt, completedAt, deadlineAt);
        }
    }
}

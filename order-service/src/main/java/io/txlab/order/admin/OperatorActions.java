package io.txlab.order.admin;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The audit of what operators did to orders (table {@code order_operator_action}, adr/0037). */
@Repository
class OperatorActions {

    static final String RESOLVE = "RESOLVE";
    static final String COMPENSATE = "COMPENSATE";

    /** One action on one order: who, why and when, as first recorded. */
    record Action(UUID orderId, String action, String operator, String reason, Instant takenAt) {
    }

    private final JdbcClient jdbc;

    OperatorActions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records {@code action} on the order if it is PENDING and the action was not taken on it yet, in one statement, so
     * an order that finishes meanwhile or a second operator cannot slip between a check and the write.
     *
     * @return the new record; empty when the order is not PENDING, does not exist or already has this action
     */
    Optional<Action> takeOnPending(UUID orderId, String action, String operator, String reason) {
        return jdbc.sql("""
                        INSERT INTO order_operator_action (order_id, action, operator, reason)
                        SELECT id, ?, ?, ? FROM purchase_order WHERE id = ? AND status = 'PENDING'
                        ON CONFLICT (order_id, action) DO NOTHING
                        RETURNING order_id, action, operator, reason, taken_at""")
                .params(action, operator, reason, orderId)
                .query(OperatorActions::row)
                .optional();
    }

    Optional<Action> find(UUID orderId, String action) {
        return jdbc.sql("SELECT order_id, action, operator, reason, taken_at FROM order_operator_action"
                        + " WHERE order_id = ? AND action = ?")
                .params(orderId, action)
                .query(OperatorActions::row)
                .optional();
    }

    /** The {@code action} records of the orders among {@code ids} that have one, by order id. */
    Map<UUID, Action> findAll(Collection<UUID> ids, String action) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<Action> found = jdbc.sql("SELECT order_id, action, operator, reason, taken_at FROM order_operator_action"
                        + " WHERE order_id IN (:ids) AND action = :action")
                .param("ids", ids)
                .param("action", action)
                .query(OperatorActions::row)
                .list();
        return found.stream().collect(Collectors.toMap(Action::orderId, a -> a));
    }

    private static Action row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp at = rs.getTimestamp("taken_at");
        return new Action(rs.getObject("order_id", UUID.class), rs.getString("action"), rs.getString("operator"),
                rs.getString("reason"), at.toInstant());
    }
}

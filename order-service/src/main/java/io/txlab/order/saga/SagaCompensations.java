package io.txlab.order.saga;

import io.txlab.contracts.RejectionReason;
import io.txlab.order.order.OrderDeadlineProperties;
import io.txlab.platform.scheduling.PeriodicTask;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The compensations of saga orders that order-service cancelled itself, first, before their steps were undone
 * (adr/0038): at their deadline ({@link SagaDeadlines}) or by an operator (adr/0037). Table
 * {@code order_compensation}: one row per such order, written in the cancelling transaction ({@link #open}); then the
 * payment is refunded and the stock released, newest step first, through the participants' manual compensations
 * ({@link ParticipantCompensations}), each stamped done in the row. A row with a step not done is tried again every
 * {@code txlab.orders.deadline-sweep} until both are. Both compensations are idempotent (the keys are derived from the
 * cause and the order) and leave a tombstone for an order their service has not seen, so a step that arrives late
 * does nothing.
 */
@Component
public class SagaCompensations implements SmartLifecycle {

    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(SagaCompensations.class);

    /** Where one order's compensation stands. */
    public record State(UUID orderId, String cause, Instant cancelledAt, Instant refundedAt, Instant releasedAt,
                        int attempts, String lastError) {

        public boolean done() {
            return refundedAt != null && releasedAt != null;
        }
    }

    private final ParticipantCompensations participants;
    private final JdbcClient jdbc;
    private final PeriodicTask schedule;

    public SagaCompensations(ParticipantCompensations participants, JdbcClient jdbc,
                             OrderDeadlineProperties properties) {
        this.participants = participants;
        this.jdbc = jdbc;
        this.schedule = new PeriodicTask("saga-compensations", properties.deadlineSweep(),
                properties.deadlineSweep(), this::compensateOpen);
    }

    /**
     * Records that the order, just cancelled with {@code cause} in the caller's transaction, needs compensating; does
     * nothing if it is recorded already.
     */
    public void open(UUID orderId, RejectionReason cause, Instant cancelledAt) {
        jdbc.sql("""
                        INSERT INTO order_compensation (order_id, cause, cancelled_at) VALUES (?, ?, ?)
                        ON CONFLICT (order_id) DO NOTHING""")
                .params(orderId, cause.name(), Timestamp.from(cancelledAt))
                .update();
    }

    public Optional<State> find(UUID orderId) {
        return jdbc.sql("SELECT * FROM order_compensation WHERE order_id = ?").param(orderId)
                .query(SagaCompensations::row)
                .optional();
    }

    /** The compensations not done yet, oldest first, at most {@code limit}. */
    public List<State> open(int limit) {
        return jdbc.sql("""
                        SELECT * FROM order_compensation WHERE refunded_at IS NULL OR released_at IS NULL
                        ORDER BY cancelled_at LIMIT ?""")
                .param(limit)
                .query(SagaCompensations::row)
                .list();
    }

    private static State row(ResultSet rs, int n) throws SQLException {
        return new State(rs.getObject("order_id", UUID.class), rs.getString("cause"),
                instant(rs.getTimestamp("cancelled_at")), instant(rs.getTimestamp("refunded_at")),
                instant(rs.getTimestamp("released_at")), rs.getInt("attempts"), rs.getString("last_error"));
    }

    /** One pass over the open compensations, oldest first; stops at the first participant that does not answer. */
    public synchronized void compensateOpen() {
        List<UUID> open = jdbc.sql("""
                        SELECT order_id FROM order_compensation WHERE refunded_at IS NULL OR released_at IS NULL
                        ORDER BY cancelled_at LIMIT ?""")
                .param(BATCH)
                .query(UUID.class)
                .list();
        for (UUID orderId : open) {
            if (!compensate(orderId)) {
                return; // a participant is unreachable: the rest would wait out the same timeout; next pass
            }
        }
    }

    /**
     * Refunds, then releases (the saga's reverse order) whatever of the order's compensation is not done yet; true
     * when both are done (or the order has no compensation to do).
     */
    public synchronized boolean compensate(UUID orderId) {
        Optional<State> state = find(orderId);
        if (state.isEmpty() || state.get().done()) {
            return true;
        }
        String keys = keyPrefix(state.get().cause());
        try {
            if (state.get().refundedAt() == null) {
                participants.refund(orderId, keys);
                stamp(orderId, "refunded_at");
            }
            if (state.get().releasedAt() == null) {
                participants.release(orderId, keys);
                stamp(orderId, "released_at");
            }
            log.info("order {} ({}) compensated: payment refunded, stock released", orderId, state.get().cause());
            return true;
        } catch (RuntimeException e) {
            jdbc.sql("UPDATE order_compensation SET attempts = attempts + 1, last_error = ? WHERE order_id = ?")
                    .params(describe(e), orderId)
                    .update();
            log.warn("order {} ({}): compensation not done yet, will retry: {}", orderId, state.get().cause(),
                    describe(e));
            return false;
        }
    }

    /**
     * The participants see keys {@code deadline-refund-<id>} for a deadline and {@code operator-refund-<id>} for an
     * operator (and {@code -release-}).
     */
    static String keyPrefix(String cause) {
        return switch (cause) {
            case "OPERATOR_COMPENSATED" -> "operator-";
            case "DEADLINE_EXCEEDED" -> "deadline-";
            default -> cause.toLowerCase(Locale.ROOT) + "-";
        };
    }

    private static String describe(RuntimeException e) {
        return String.valueOf(e.getMessage());
    }

    private void stamp(UUID orderId, String column) {
        jdbc.sql("UPDATE order_compensation SET " + column + " = now(), last_error = NULL WHERE order_id = ?")
                .param(orderId)
                .update();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Override
    public void start() {
        schedule.start();
    }

    @Override
    public void stop() {
        schedule.stop();
    }

    @Override
    public boolean isRunning() {
        return schedule.isRunning();
    }
}

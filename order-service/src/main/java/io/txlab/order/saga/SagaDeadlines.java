package io.txlab.order.saga;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderDeadlineProperties;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.scheduling.PeriodicTask;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;

/**
 * The deadline of the choreography and outbox orders (adr/0038). No service drives an event-driven saga, so
 * order-service, which owns the order, keeps its deadline: every {@code txlab.orders.deadline-sweep}, each PENDING
 * order of these flows past its deadline is
 * <ol>
 *   <li><b>cancelled first</b> with {@code DEADLINE_EXCEEDED}, together with a row in
 *       {@code order_deadline_compensation}, in one local transaction. Cancelling first closes the race a
 *       compensate-then-cancel would leave open: once the order is CANCELLED a late PaymentAuthorized cannot confirm
 *       it (confirm only moves a PENDING order), so the compensations below can never strip a confirmed order;</li>
 *   <li>then <b>compensated</b>, newest step first: the payment refunded, then the stock released, through the
 *       participants' manual compensations ({@link ParticipantCompensations}, keys {@code deadline-refund-<id>} and
 *       {@code deadline-release-<id>}). Both are idempotent and leave a tombstone for an order they have not seen, so
 *       the step that hung does nothing when it finally arrives. Each is stamped done in the row; a participant that
 *       cannot be reached is tried again on every pass until it answers.</li>
 * </ol>
 * The customer learns the outcome at the deadline (the long-poll wakes on the cancellation); the stock and money come
 * back when the participants can be reached, which the row shows.
 */
@Component
@ConditionalOnFlow({Flow.CHOREOGRAPHY, Flow.OUTBOX})
public class SagaDeadlines implements SmartLifecycle {

    /** The participants see keys {@code deadline-refund-<id>} and {@code deadline-release-<id>}. */
    static final String KEYS = "deadline-";
    private static final List<Flow> FLOWS = List.of(Flow.CHOREOGRAPHY, Flow.OUTBOX);
    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(SagaDeadlines.class);

    private final OrderService orders;
    private final ParticipantCompensations participants;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final PeriodicTask schedule;

    public SagaDeadlines(OrderService orders, ParticipantCompensations participants, JdbcClient jdbc,
                         PlatformTransactionManager transactionManager, OrderDeadlineProperties properties) {
        this.orders = orders;
        this.participants = participants;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactionManager);
        this.schedule = new PeriodicTask("saga-deadline-sweep", properties.deadlineSweep(), properties.deadlineSweep(),
                this::sweepOnce);
    }

    /** One pass: cancels the orders past their deadline, then works on every compensation not yet done. */
    public void sweepOnce() {
        for (UUID orderId : orders.findPastDeadline(FLOWS, BATCH)) {
            expire(orderId);
        }
        compensateOpen();
    }

    /** Cancels one order at its deadline and records that it needs compensating; false if it was final already. */
    boolean expire(UUID orderId) {
        Boolean expired = tx.execute(status -> {
            Order order = orders.cancel(orderId, RejectionReason.DEADLINE_EXCEEDED.name());
            if (order.status() != OrderStatus.CANCELLED
                    || !RejectionReason.DEADLINE_EXCEEDED.name().equals(order.reason())) {
                return false; // its flow finished it in the meantime, and compensated it if it had to
            }
            return jdbc.sql("""
                            INSERT INTO order_deadline_compensation (order_id, cancelled_at) VALUES (?, ?)
                            ON CONFLICT (order_id) DO NOTHING""")
                    .params(orderId, Timestamp.from(order.completedAt()))
                    .update() == 1;
        });
        if (Boolean.TRUE.equals(expired)) {
            log.info("order {} passed its deadline while PENDING: cancelled DEADLINE_EXCEEDED, compensating", orderId);
        }
        return Boolean.TRUE.equals(expired);
    }

    private record Open(UUID orderId, boolean refunded, boolean released) {
    }

    private void compensateOpen() {
        List<Open> open = jdbc.sql("""
                        SELECT order_id, refunded_at IS NOT NULL AS refunded, released_at IS NOT NULL AS released
                        FROM order_deadline_compensation
                        WHERE refunded_at IS NULL OR released_at IS NULL
                        ORDER BY cancelled_at LIMIT ?""")
                .param(BATCH)
                .query((rs, n) -> new Open(rs.getObject("order_id", UUID.class), rs.getBoolean("refunded"),
                        rs.getBoolean("released")))
                .list();
        for (Open o : open) {
            if (!compensate(o)) {
                return; // a participant is unreachable: the rest would wait out the same timeout; next pass
            }
        }
    }

    /** Refund, then release (the saga's reverse order); true when both are done. */
    private boolean compensate(Open o) {
        try {
            if (!o.refunded()) {
                participants.refund(o.orderId(), KEYS);
                stamp(o.orderId(), "refunded_at");
            }
            if (!o.released()) {
                participants.release(o.orderId(), KEYS);
                stamp(o.orderId(), "released_at");
            }
            log.info("order {} compensated after its deadline: payment refunded, stock released", o.orderId());
            return true;
        } catch (RuntimeException e) {
            jdbc.sql("UPDATE order_deadline_compensation SET attempts = attempts + 1, last_error = ? WHERE order_id = ?")
                    .params(describe(e), o.orderId())
                    .update();
            log.warn("order {}: compensation after its deadline not done yet, will retry: {}", o.orderId(),
                    describe(e));
            return false;
        }
    }

    private static String describe(RuntimeException e) {
        return e instanceof ErrorResponseException problem && problem.getBody().getDetail() != null
                ? problem.getBody().getDetail() : String.valueOf(e.getMessage());
    }

    private void stamp(UUID orderId, String column) {
        jdbc.sql("UPDATE order_deadline_compensation SET " + column + " = now(), last_error = NULL WHERE order_id = ?")
                .param(orderId)
                .update();
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

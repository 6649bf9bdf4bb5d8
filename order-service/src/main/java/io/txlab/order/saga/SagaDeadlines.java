package io.txlab.order.saga;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderDeadlineProperties;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.scheduling.PeriodicTask;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The deadline of the choreography and outbox orders (adr/0038). No service drives an event-driven saga, so
 * order-service, which owns the order, keeps its deadline: every {@code txlab.orders.deadline-sweep}, each PENDING
 * order of these flows past its deadline is <b>cancelled first</b> with {@code DEADLINE_EXCEEDED}, and its
 * compensation opened in the same local transaction ({@link SagaCompensations#open}); the refund and release follow
 * at once and are retried until the participants answer. Cancelling first closes the race a compensate-then-cancel
 * would leave open: once the order is CANCELLED a late PaymentAuthorized cannot confirm it (confirm only moves a
 * PENDING order), so the compensations can never strip a confirmed order. The customer learns the outcome at the
 * deadline (the long-poll wakes on the cancellation); stock and money come back when the participants can be reached.
 */
@Component
@ConditionalOnFlow({Flow.CHOREOGRAPHY, Flow.OUTBOX})
public class SagaDeadlines implements SmartLifecycle {

    private static final List<Flow> FLOWS = List.of(Flow.CHOREOGRAPHY, Flow.OUTBOX);
    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(SagaDeadlines.class);

    private final OrderService orders;
    private final SagaCompensations compensations;
    private final TransactionTemplate tx;
    private final PeriodicTask schedule;

    public SagaDeadlines(OrderService orders, SagaCompensations compensations,
                         PlatformTransactionManager transactionManager, OrderDeadlineProperties properties) {
        this.orders = orders;
        this.compensations = compensations;
        this.tx = new TransactionTemplate(transactionManager);
        this.schedule = new PeriodicTask("saga-deadline-sweep", properties.deadlineSweep(), properties.deadlineSweep(),
                this::sweepOnce);
    }

    /** One pass: cancels the orders past their deadline, then compensates them (and any other still open). */
    public void sweepOnce() {
        int expired = 0;
        for (UUID orderId : orders.findPastDeadline(FLOWS, BATCH)) {
            expired += expire(orderId) ? 1 : 0;
        }
        if (expired > 0) {
            compensations.compensateOpen();
        }
    }

    /** Cancels one order at its deadline and opens its compensation; false if it was final already. */
    boolean expire(UUID orderId) {
        Boolean expired = tx.execute(status -> {
            Order order = orders.cancel(orderId, RejectionReason.DEADLINE_EXCEEDED.name());
            if (order.status() != OrderStatus.CANCELLED
                    || !RejectionReason.DEADLINE_EXCEEDED.name().equals(order.reason())) {
                return false; // its flow finished it in the meantime, and compensated it if it had to
            }
            compensations.open(orderId, RejectionReason.DEADLINE_EXCEEDED, order.completedAt());
            return true;
        });
        if (Boolean.TRUE.equals(expired)) {
            log.info("order {} passed its deadline while PENDING: cancelled DEADLINE_EXCEEDED, compensating", orderId);
        }
        return Boolean.TRUE.equals(expired);
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

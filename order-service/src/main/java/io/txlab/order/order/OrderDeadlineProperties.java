package io.txlab.order.order;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code txlab.orders.*}: every order's deadline (adr/0038). An order still PENDING at its deadline is given up by its
 * flow and cancelled with {@code DEADLINE_EXCEEDED}: the saga flows compensate first, the 2PC coordinator votes NO for
 * the participant that did not answer.
 *
 * @param deadline        the deadline of an order placed without {@code deadlineSeconds}: the bound orchestration gives
 *                        a step, far above every flow's normal time to final (milliseconds) and above the outages the
 *                        tests and fault runs inject, so only a step that hangs reaches it
 * @param maxDeadline     the longest deadline a caller may ask for
 * @param deadlineSweep   how often the choreography and outbox orders are checked against their deadline, and the
 *                        open compensations (deadline, operator) retried: the resolution of their time to cancel
 */
@ConfigurationProperties("txlab.orders")
public record OrderDeadlineProperties(@DefaultValue("2m") Duration deadline,
                                      @DefaultValue("1h") Duration maxDeadline,
                                      @DefaultValue("500ms") Duration deadlineSweep) {

    public OrderDeadlineProperties {
        if (deadline.isNegative() || deadline.isZero() || maxDeadline.compareTo(deadline) < 0) {
            throw new IllegalArgumentException("txlab.orders.deadline must be positive and at most max-deadline ("
                    + maxDeadline + "), got " + deadline);
        }
        if (deadlineSweep.toMillis() < 10) {
            throw new IllegalArgumentException("txlab.orders.deadline-sweep must be at least 10ms, got " + deadlineSweep);
        }
    }
}

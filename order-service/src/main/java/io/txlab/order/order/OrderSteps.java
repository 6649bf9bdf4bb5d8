package io.txlab.order.order;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What happened to one order ({@code GET /orders/{id}/steps}), the same shape for every flow: the forward steps and
 * the compensations, each with its outcome and time, oldest first. Each {@link OrderFlow} describes its own orders
 * ({@link OrderFlow#steps}).
 *
 * @param source where the steps were read (e.g. {@code workflow}, {@code participants}, {@code coordinator},
 *               {@code transaction}); several sources joined with {@code +}
 * @param note       what could not be read, or an orchestration saga's {@code stuck}/{@code lastFailure}; null if
 *                   none
 * @param flowDetail the flow's own document for this order, where it has one: for {@code orchestration} the
 *                   workflow's {@code state} query ({@code SagaState}: current step, completed steps, compensations,
 *                   {@code stuck}, {@code lastFailure}, outcome); null otherwise. The one place a client reads it, so
 *                   that one endpoint answers "what happened to my order" for every flow.
 */
public record OrderSteps(UUID orderId, String flow, String status, String reason, String source,
                         List<Step> steps, List<Step> compensations, String note, Object flowDetail) {

    public OrderSteps {
        steps = List.copyOf(steps);
        compensations = List.copyOf(compensations);
    }

    /** Steps without a flow document. */
    public OrderSteps(UUID orderId, String flow, String status, String reason, String source, List<Step> steps,
                      List<Step> compensations, String note) {
        this(orderId, flow, status, reason, source, steps, compensations, note, null);
    }

    /**
     * One step.
     *
     * @param name    {@code place-order}, {@code reserve-stock}, {@code authorize-payment}, {@code confirm-order},
     *                {@code cancel-order}, {@code release-stock}, {@code refund-payment}, {@code global-transaction}
     *                (twopc), {@code serializable-transaction} (cockroach)
     * @param outcome e.g. {@code RESERVED}, {@code DECLINED}, {@code COMMIT}, {@code CONFIRMED}
     * @param at      when the step's owner recorded it; null when the source keeps no time (the 2PC decision)
     * @param detail  a reason or an id (the 2PC gid); null if none
     */
    public record Step(String name, String outcome, Instant at, String detail) {
    }
}

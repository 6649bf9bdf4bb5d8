package io.txlab.contracts.orchestration;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Final steps of the order saga. Implemented by order-service ({@code io.txlab.order.orchestration}) on top of
 * {@code OrderService.confirm/cancel}, registered on task queue {@link TaskQueues#ORDER}; called only by
 * {@code PlaceOrderWorkflow}.
 */
@ActivityInterface
public interface OrderActivities {

    /**
     * Marks the order {@code CONFIRMED}. Idempotent per order ({@code "<orderId>:confirm"}): confirming a confirmed
     * order is a no-op. Only this saga finalizes an orchestration order, so finding it {@code CANCELLED} is a bug:
     * throw a non-retryable {@code ApplicationFailure} then. The saga is past its pivot when it calls this, so it keeps
     * retrying (and reports itself stuck) instead of compensating a payment the order might show as confirmed.
     */
    @ActivityMethod(name = "ConfirmOrder")
    void confirmOrder(ConfirmOrder command);

    /**
     * Marks the order {@code CANCELLED} with the reason's name. Idempotent per order ({@code "<orderId>:cancel"}); an
     * order that is already final stays as it is. Must not fail for business reasons.
     */
    @ActivityMethod(name = "CancelOrder")
    void cancelOrder(CancelOrder command);
}

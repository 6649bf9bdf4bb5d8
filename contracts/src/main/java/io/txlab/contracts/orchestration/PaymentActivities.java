package io.txlab.contracts.orchestration;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Payment steps of the order saga. Implemented by payment-service ({@code io.txlab.payment.orchestration}) on top of
 * {@code PaymentService}, registered on task queue {@link TaskQueues#PAYMENT}; called only by
 * {@code PlaceOrderWorkflow}.
 */
@ActivityInterface
public interface PaymentActivities {

    /**
     * Debits the customer's balance by the order total. Idempotent per order ({@code "<orderId>:authorize"}): a
     * repeated call returns the first outcome and never debits twice; after a refund of the same order it returns
     * {@code DECLINED}. Insufficient funds and unknown customers are results; throw only for infrastructure failures.
     * Authorization is the saga's pivot: once it succeeds the saga only moves forward (confirm) or compensates.
     */
    @ActivityMethod(name = "AuthorizePayment")
    PaymentAuthorizationResult authorizePayment(AuthorizePayment command);

    /**
     * Compensation of {@link #authorizePayment}: credits the amount back once. Idempotent per order
     * ({@code "<orderId>:refund"}); on an order that was never authorized it records a tombstone (amount 0) so that a
     * late authorization is refused. Must not fail for business reasons.
     */
    @ActivityMethod(name = "RefundPayment")
    void refundPayment(RefundPayment command);
}

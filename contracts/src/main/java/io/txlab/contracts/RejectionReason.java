package io.txlab.contracts;

/**
 * Why a step of the order saga refused to go ahead. Business reasons are final (never retried); the order is
 * cancelled with the reason's name. {@link #TECHNICAL_FAILURE} marks a step that gave up after bounded retries.
 */
public enum RejectionReason {
    /** Some line asked for more than the available stock; nothing was reserved. */
    OUT_OF_STOCK,
    /** Some line named a SKU the catalogue does not have. */
    UNKNOWN_SKU,
    /** The customer's balance does not cover the order total; the balance was not touched. */
    INSUFFICIENT_FUNDS,
    /** The customer has no account. */
    UNKNOWN_CUSTOMER,
    /** Infrastructure kept failing past the retry budget. */
    TECHNICAL_FAILURE,
    /**
     * An operator compensated a stuck order by hand ({@code POST /admin/orders/{id}/compensate}): its stock was
     * released, its payment refunded, and the order cancelled. Only order-service cancels with it.
     */
    OPERATOR_COMPENSATED,
    /**
     * The order's deadline passed while a step had not answered (a participant slow, partitioned or gone): the saga
     * compensated what it had done and cancelled the order, or the 2PC coordinator voted NO for the silent
     * participant and aborted (adr/0038).
     */
    DEADLINE_EXCEEDED
}

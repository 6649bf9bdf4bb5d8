package io.txlab.contracts.orchestration;

/** The steps of the order saga as reported by {@link SagaState}: forward steps, compensations, then the end. */
public enum SagaStep {
    RESERVE_STOCK,
    AUTHORIZE_PAYMENT,
    CONFIRM_ORDER,
    /** After {@link #CONFIRM_ORDER}, only for stock held under a semantic lock: lifts it (ADR 44). */
    SETTLE_RESERVATION,
    /** Compensation of {@link #AUTHORIZE_PAYMENT}. */
    REFUND_PAYMENT,
    /** Compensation of {@link #RESERVE_STOCK}. */
    RELEASE_STOCK,
    CANCEL_ORDER,
    /** The workflow has returned its {@link PlaceOrderResult}. */
    FINISHED
}

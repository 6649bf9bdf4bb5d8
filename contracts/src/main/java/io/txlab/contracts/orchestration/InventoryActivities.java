package io.txlab.contracts.orchestration;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Stock steps of the order saga. Implemented by inventory-service ({@code io.txlab.inventory.orchestration}) on top of
 * {@code InventoryService}, registered on task queue {@link TaskQueues#INVENTORY}; called only by
 * {@code PlaceOrderWorkflow}.
 */
@ActivityInterface
public interface InventoryActivities {

    /**
     * Reserves every line or none. Idempotent per order ({@link ReserveStock#requestId()} is
     * {@code "<orderId>:reserve"}): a repeated call returns the first outcome and never reserves twice; after a
     * release of the same order it returns {@code REJECTED} and reserves nothing. Out of stock and unknown SKUs are
     * results; throw only for infrastructure failures (they are retried) and, for a product under a semantic lock,
     * while pending orders hold the stock this order lacks (retried until they are final, then refused; ADR 44).
     */
    @ActivityMethod(name = "ReserveStock")
    StockReservationResult reserveStock(ReserveStock command);

    /**
     * Compensation of {@link #reserveStock}: returns the order's stock once. Idempotent per order
     * ({@code "<orderId>:release"}); on an order that was never reserved it records a tombstone so that a late
     * {@code reserveStock} is refused. Must not fail for business reasons.
     */
    @ActivityMethod(name = "ReleaseStock")
    void releaseStock(ReleaseStock command);

    /**
     * The order is confirmed: lifts the semantic lock of a reservation that {@link #reserveStock} answered as pending
     * (ADR 44). Idempotent per order ({@code "<orderId>:settle"}); on a reservation that is not pending it changes
     * nothing. Must not fail for business reasons.
     */
    @ActivityMethod(name = "SettleReservation")
    void settleReservation(SettleReservation command);
}

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
     * results; throw only for infrastructure failures (they are retried).
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
}

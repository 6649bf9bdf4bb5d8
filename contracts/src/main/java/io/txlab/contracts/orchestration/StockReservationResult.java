package io.txlab.contracts.orchestration;

import io.txlab.contracts.RejectionReason;
import java.util.Objects;

/**
 * Result of {@link InventoryActivities#reserveStock}: either every line is reserved, or nothing is and
 * {@code reason} says why ({@code OUT_OF_STOCK}, {@code UNKNOWN_SKU}). A refusal is final: the workflow does not retry
 * it, cancels the order with the reason, and has nothing to release.
 *
 * @param reason {@code null} when {@link Status#RESERVED}
 */
public record StockReservationResult(Status status, RejectionReason reason) {

    public enum Status { RESERVED, REJECTED }

    public StockReservationResult {
        Objects.requireNonNull(status, "status");
        if ((status == Status.REJECTED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is required exactly when REJECTED: " + status + "/" + reason);
        }
    }

    public static StockReservationResult reserved() {
        return new StockReservationResult(Status.RESERVED, null);
    }

    public static StockReservationResult rejected(RejectionReason reason) {
        return new StockReservationResult(Status.REJECTED, reason);
    }
}

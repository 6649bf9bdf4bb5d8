package io.txlab.contracts.orchestration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.txlab.contracts.RejectionReason;
import java.util.Objects;

/**
 * Result of {@link InventoryActivities#reserveStock}: either every line is reserved, or nothing is and
 * {@code reason} says why ({@code OUT_OF_STOCK}, {@code UNKNOWN_SKU}). A refusal is final: the workflow does not retry
 * it, cancels the order with the reason, and has nothing to release.
 *
 * @param reason  {@code null} when {@link Status#RESERVED}
 * @param pending the stock is held under a semantic lock (ADR 44) until the saga settles it
 *                ({@link InventoryActivities#settleReservation}) or releases it; absent (false) in results recorded
 *                before semantic locks existed, so their workflows replay unchanged
 */
public record StockReservationResult(Status status, RejectionReason reason,
                                     @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean pending) {

    public enum Status { RESERVED, REJECTED }

    public StockReservationResult {
        Objects.requireNonNull(status, "status");
        if ((status == Status.REJECTED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is required exactly when REJECTED: " + status + "/" + reason);
        }
        if (pending && status != Status.RESERVED) {
            throw new IllegalArgumentException("only a reservation can be pending");
        }
    }

    public StockReservationResult(Status status, RejectionReason reason) {
        this(status, reason, false);
    }

    public static StockReservationResult reserved() {
        return new StockReservationResult(Status.RESERVED, null, false);
    }

    /** Reserved under a semantic lock: the saga must settle it once the order is confirmed. */
    public static StockReservationResult reservedPending() {
        return new StockReservationResult(Status.RESERVED, null, true);
    }

    public static StockReservationResult rejected(RejectionReason reason) {
        return new StockReservationResult(Status.REJECTED, reason, false);
    }
}

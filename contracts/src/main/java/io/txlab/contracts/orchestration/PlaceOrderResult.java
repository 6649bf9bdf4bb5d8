package io.txlab.contracts.orchestration;

import io.txlab.contracts.RejectionReason;
import java.util.Objects;
import java.util.UUID;

/**
 * Final outcome returned by {@code PlaceOrderWorkflow}: the order was confirmed, or cancelled with the reason that the
 * order row carries too. A cancelled saga has run its compensations before it returns.
 *
 * @param reason {@code null} when {@link Status#CONFIRMED}
 */
public record PlaceOrderResult(UUID orderId, Status status, RejectionReason reason) {

    public enum Status { CONFIRMED, CANCELLED }

    public PlaceOrderResult {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(status, "status");
    }

    public static PlaceOrderResult confirmed(UUID orderId) {
        return new PlaceOrderResult(orderId, Status.CONFIRMED, null);
    }

    public static PlaceOrderResult cancelled(UUID orderId, RejectionReason reason) {
        return new PlaceOrderResult(orderId, Status.CANCELLED, Objects.requireNonNull(reason, "reason"));
    }
}

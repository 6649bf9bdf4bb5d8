package io.txlab.contracts.orchestration;

import io.txlab.contracts.RejectionReason;
import java.util.Objects;
import java.util.UUID;

/**
 * Input of {@link OrderActivities#cancelOrder}.
 *
 * @param requestId idempotency key {@code "<orderId>:cancel"}; see {@link #forOrder}
 * @param reason    stored on the order as the cancel reason (its {@code name()})
 */
public record CancelOrder(UUID orderId, String requestId, RejectionReason reason) {

    public CancelOrder {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(reason, "reason");
    }

    public static CancelOrder forOrder(UUID orderId, RejectionReason reason) {
        return new CancelOrder(orderId, orderId + ":cancel", reason);
    }
}

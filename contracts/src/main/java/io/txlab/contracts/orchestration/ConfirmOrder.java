package io.txlab.contracts.orchestration;

import java.util.Objects;
import java.util.UUID;

/**
 * Input of {@link OrderActivities#confirmOrder}.
 *
 * @param requestId idempotency key {@code "<orderId>:confirm"}; see {@link #forOrder}
 */
public record ConfirmOrder(UUID orderId, String requestId) {

    public ConfirmOrder {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
    }

    public static ConfirmOrder forOrder(UUID orderId) {
        return new ConfirmOrder(orderId, orderId + ":confirm");
    }
}

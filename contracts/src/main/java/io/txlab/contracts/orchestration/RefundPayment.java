package io.txlab.contracts.orchestration;

import java.util.Objects;
import java.util.UUID;

/**
 * Input of {@link PaymentActivities#refundPayment}.
 *
 * @param requestId idempotency key {@code "<orderId>:refund"}; see {@link #forOrder}
 */
public record RefundPayment(UUID orderId, String requestId) {

    public RefundPayment {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
    }

    public static RefundPayment forOrder(UUID orderId) {
        return new RefundPayment(orderId, orderId + ":refund");
    }
}

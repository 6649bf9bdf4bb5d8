package io.txlab.contracts.orchestration;

import java.util.Objects;
import java.util.UUID;

/**
 * Input of {@link InventoryActivities#settleReservation}.
 *
 * @param requestId idempotency key {@code "<orderId>:settle"}; see {@link #forOrder}
 */
public record SettleReservation(UUID orderId, String requestId) {

    public SettleReservation {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
    }

    public static SettleReservation forOrder(UUID orderId) {
        return new SettleReservation(orderId, orderId + ":settle");
    }
}

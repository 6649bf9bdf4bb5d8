package io.txlab.contracts.orchestration;

import java.util.Objects;
import java.util.UUID;

/**
 * Input of {@link InventoryActivities#releaseStock}.
 *
 * @param requestId idempotency key {@code "<orderId>:release"}; see {@link #forOrder}
 */
public record ReleaseStock(UUID orderId, String requestId) {

    public ReleaseStock {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
    }

    public static ReleaseStock forOrder(UUID orderId) {
        return new ReleaseStock(orderId, orderId + ":release");
    }
}

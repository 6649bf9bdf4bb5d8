package io.txlab.contracts.orchestration;

import io.txlab.contracts.inventory.StockLine;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Input of {@link InventoryActivities#reserveStock}.
 *
 * @param requestId idempotency key {@code "<orderId>:reserve"}; see {@link #forOrder}
 */
public record ReserveStock(UUID orderId, String requestId, List<StockLine> lines) {

    public ReserveStock {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
        lines = List.copyOf(lines);
    }

    public static ReserveStock forOrder(UUID orderId, List<StockLine> lines) {
        return new ReserveStock(orderId, orderId + ":reserve", lines);
    }
}

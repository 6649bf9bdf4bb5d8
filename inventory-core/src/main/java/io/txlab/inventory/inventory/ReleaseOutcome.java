package io.txlab.inventory.inventory;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link InventoryService#release} did. Every result leaves the order released (or rejected) for good.
 *
 * @param returned the stock this call put back on the shelf, sorted by SKU; empty unless {@link Result#RELEASED}
 */
public record ReleaseOutcome(UUID orderId, Result result, List<StockLine> returned) {

    public enum Result {
        /** The reservation held stock; this call returned it. */
        RELEASED,
        /** An earlier release already returned the stock (or wrote the tombstone); nothing changed. */
        ALREADY_RELEASED,
        /** The reservation had been rejected and never held stock; nothing changed. */
        NOTHING_RESERVED,
        /** Inventory had never seen the order; a RELEASED tombstone now refuses a late reserve. */
        TOMBSTONE_RECORDED
    }

    public ReleaseOutcome {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(result, "result");
        returned = List.copyOf(returned);
    }
}

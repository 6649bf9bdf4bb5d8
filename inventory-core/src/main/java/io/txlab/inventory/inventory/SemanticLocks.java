package io.txlab.inventory.inventory;

/**
 * How {@link InventoryService#reserve(java.util.UUID, java.util.List, SemanticLocks)} treats a product flagged
 * {@code semantic_lock} (ADR 44). A flow may honour the flag only if it settles the reservation once the order is
 * final ({@link InventoryService#settle}); otherwise the reservation would stay pending for good.
 */
public enum SemanticLocks {
    /** Reserve as if no product were flagged: the flows that have no step to settle a reservation. */
    IGNORE,
    /** Hold a flagged product's stock as PENDING until the order is final; refuse when short, as always. */
    HOLD,
    /**
     * {@link #HOLD}, and when a flagged product is short only because pending reservations hold what is missing,
     * throw {@link StockHeldByPendingOrders} (nothing is recorded) so that the caller can try again once they are final.
     */
    HOLD_AND_WAIT
}

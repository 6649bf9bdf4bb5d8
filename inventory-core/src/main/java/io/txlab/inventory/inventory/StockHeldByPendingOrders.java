package io.txlab.inventory.inventory;

import java.util.Map;
import java.util.UUID;

/**
 * A reserve under {@link SemanticLocks#HOLD_AND_WAIT} found a flagged product short, but pending reservations hold
 * enough of it that the order could be served if they are compensated. Thrown so that the reserve's transaction rolls
 * back (no reservation row is left behind): the caller waits and tries again, or reserves with {@link SemanticLocks#HOLD}
 * to get the refusal.
 */
public class StockHeldByPendingOrders extends RuntimeException {

    public StockHeldByPendingOrders(UUID orderId, Map<String, Integer> available, Map<String, Integer> pending) {
        super("order " + orderId + " waits: stock on the shelf " + available + ", held by pending orders " + pending);
    }
}

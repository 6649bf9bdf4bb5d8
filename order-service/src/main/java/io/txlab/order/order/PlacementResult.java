package io.txlab.order.order;

/**
 * What {@link OrderService#place} did.
 *
 * @param replayed true when the idempotency key had already placed this order and nothing new happened
 */
public record PlacementResult(Order order, boolean replayed) {
}

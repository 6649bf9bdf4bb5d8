package io.txlab.order.order;

/**
 * In-process Spring event: {@code order} has just been placed (a new order, not a replayed request), published once
 * per order after the placing transaction committed. Observers (metrics) use it; no flow depends on it. Not a
 * message between services.
 */
public record OrderPlaced(Order order) {
}

package io.txlab.order.order;

/**
 * In-process Spring event: {@code order} has just become final (CONFIRMED or CANCELLED). Published once per order,
 * by the {@link OrderService} call that finalized it, after that transaction committed; listeners may therefore
 * rely on the new state being visible to every reader. Not a message between services.
 */
public record OrderFinalized(Order order) {
}

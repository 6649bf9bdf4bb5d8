package io.txlab.order.order;

/**
 * What a flow over order-service's database does around {@link OrderService#place(String, PlaceOrder, FlowStart)}:
 * {@link #onPlaced} inside the transaction that inserts the order row, {@link #start} once after it committed.
 *
 * <p>{@link #start} is called once per new order (never for a replayed key), outside any transaction, on the caller's
 * thread. It decides whether the flow runs synchronously or hands it off; either way the order stays PENDING until
 * the flow calls {@link OrderService#confirm} or {@link OrderService#cancel}. It throws only when the flow certainly
 * did not start: the order is then cancelled as TECHNICAL_FAILURE.
 */
public interface FlowStart {

    /**
     * Called inside the transaction that inserts the order, before it commits: for writes that must be atomic with
     * the order row (the {@code outbox} flow's OrderPlaced outbox row). Throwing rolls the placement back. Most flows
     * need nothing here.
     */
    default void onPlaced(Order order) {
    }

    void start(Order order);
}

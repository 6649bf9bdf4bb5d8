package io.txlab.order.order;

import io.txlab.contracts.Flow;

/**
 * Starts the saga of one {@link Flow} for a freshly placed order. Each flow package contributes exactly one bean;
 * {@link OrderService#place} refuses orders for flows without one, before writing anything.
 *
 * <p>{@link #start} is called once per order, after the order row committed, outside any transaction, on the
 * request thread. A launcher decides whether the flow runs synchronously or hands it off; either way the order
 * stays PENDING until the flow calls {@link OrderService#confirm} or {@link OrderService#cancel}. A launcher throws
 * only when the flow certainly did not start: the order is then cancelled as TECHNICAL_FAILURE.
 */
public interface FlowLauncher {

    Flow flow();

    /**
     * Called inside the transaction that inserts the order, before it commits: for writes that must be atomic with
     * the order row (the {@code outbox} flow's OrderPlaced outbox row). Throwing rolls the placement back. Most flows
     * need nothing here.
     */
    default void onPlaced(Order order) {
    }

    void start(Order order);
}

package io.txlab.order.order;

import io.txlab.contracts.Flow;
import java.util.Optional;
import java.util.UUID;

/**
 * One way to run an order: each flow package implements it exactly once, {@link OrderFlows} maps a {@link Flow} to
 * it, and the REST layer and the read models only ever talk to this interface. The core ({@link OrderService}) knows no
 * flow; a flow is what it does with the order.
 *
 * <p>Two shapes exist. The four flows over order-service's own database place through
 * {@link OrderService#place(String, PlaceOrder, FlowStart)}: the order row is written PENDING, then the flow is
 * started and later confirms or cancels it. A flow whose system of record for the whole order is another store
 * (the {@code cockroach} flow: order, stock, balance and payment in one serializable transaction) writes it there,
 * final, in one atomic step, and answers {@link #find} and {@link #backend} for it: writing the order here as well
 * would be a dual write, i.e. a saga again.
 */
public interface OrderFlow {

    Flow flow();

    /**
     * Places the order once per idempotency key: checks the customer, SKUs and prices ({@link ReferenceChecks}),
     * writes it, and starts whatever the flow does next. A key seen before with the same command replays the order it
     * placed; nothing is written unless the call returns.
     *
     * @throws io.txlab.platform.idempotency.IdempotencyKeyReusedException if the key came with another command
     * @throws UnknownReferenceException                                   naming an unknown customer or SKUs
     * @throws PriceMismatchException                                      naming lines not at the catalogue's price
     */
    PlacementResult place(String idempotencyKey, PlaceOrder cmd);

    /**
     * What happened to {@code order}, one of this flow's, step by step ({@code GET /orders/{id}/steps}): read from
     * wherever the flow keeps it (the participants' records, the workflow, the coordinator, the one transaction). Never
     * throws for a source that cannot answer: says so in {@link OrderSteps#note()}.
     */
    OrderSteps steps(Order order);

    /**
     * An order of this flow kept in a store of its own, not in order-service's database; empty for the flows whose
     * orders are order-service's rows (the default).
     */
    default Optional<Order> find(UUID orderId) {
        return Optional.empty();
    }

    /**
     * The store holding this flow's orders when it is not order-service's database, named truthfully (e.g.
     * {@code postgresql-serializable-standin}); null for the others (the default).
     */
    default String backend() {
        return null;
    }
}

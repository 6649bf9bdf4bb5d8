package io.txlab.order.order;

import io.txlab.contracts.Flow;
import java.util.Objects;

/**
 * A flow over order-service's own database: the order is written PENDING by
 * {@link OrderService#place(String, PlaceOrder, FlowStart)}, then the flow starts ({@link FlowStart}) and later
 * confirms or cancels it. Four of the five flows are this shape; a subclass says what starts it and how to describe
 * its orders.
 */
public abstract class PendingOrderFlow implements OrderFlow, FlowStart {

    private final Flow flow;
    private final OrderService orders;

    protected PendingOrderFlow(Flow flow, OrderService orders) {
        this.flow = Objects.requireNonNull(flow, "flow");
        this.orders = Objects.requireNonNull(orders, "orders");
    }

    @Override
    public final Flow flow() {
        return flow;
    }

    @Override
    public final PlacementResult place(String idempotencyKey, PlaceOrder cmd) {
        if (cmd.flow() != flow) {
            throw new IllegalArgumentException("flow " + flow.id() + " places " + flow.id() + " orders, not "
                    + cmd.flow().id());
        }
        return orders.place(idempotencyKey, cmd, this);
    }
}

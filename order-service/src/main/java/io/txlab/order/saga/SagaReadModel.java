package io.txlab.order.saga;

import io.txlab.order.order.Order;
import io.txlab.order.order.OrderFlows;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderSteps;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * "What happened to order X", one answer for every flow. A read model only: it finds the order (in order-service's
 * database, else in the store of a flow that keeps its own) and lets the order's flow describe it
 * ({@link io.txlab.order.order.OrderFlow#steps}); it changes nothing.
 */
@Component
public class SagaReadModel {

    private final OrderService orders;
    private final OrderFlows flows;
    private final ParticipantSteps participants;

    SagaReadModel(OrderService orders, OrderFlows flows, ParticipantSteps participants) {
        this.orders = orders;
        this.flows = flows;
        this.participants = participants;
    }

    public Optional<OrderSteps> find(UUID orderId) {
        Optional<Order> own = orders.find(orderId);
        if (own.isPresent()) {
            return Optional.of(view(own.get()));
        }
        return flows.findInFlowStores(orderId).map(stored -> stored.flow().steps(stored.order()));
    }

    /**
     * The view of an order already read from this service's database (as {@link #find} reads it). An order of a flow
     * switched off in this process (placed before it was) still has the participants' records.
     */
    public OrderSteps view(Order order) {
        return flows.find(order.flow())
                .map(flow -> flow.steps(order))
                .orElseGet(() -> participants.view(order, "flow " + order.flow().id() + " is off in this process"));
    }
}

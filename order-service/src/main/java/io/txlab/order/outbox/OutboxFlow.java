package io.txlab.order.outbox;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderPlaced;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.order.PendingOrderFlow;
import io.txlab.order.saga.ParticipantSteps;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.messaging.OutboxWriter;
import org.springframework.stereotype.Component;

/** Starts the {@code outbox} flow by writing OrderPlaced in the transaction that places the order. */
@Component
@ConditionalOnFlow(Flow.OUTBOX)
public class OutboxFlow extends PendingOrderFlow {

    private final ParticipantSteps participants;
    private final OutboxWriter outbox;

    public OutboxFlow(OrderService orders, ParticipantSteps participants, OutboxWriter outbox) {
        super(Flow.OUTBOX, orders);
        this.participants = participants;
        this.outbox = outbox;
    }

    /** No class holds this saga: its steps are what the participants recorded. */
    @Override
    public OrderSteps steps(Order order) {
        return participants.view(order);
    }

    @Override
    public void onPlaced(Order order) {
        outbox.write(OrderPlaced.of(order.id(), Flow.OUTBOX, order.customerId(), order.lines(), order.total()));
    }

    /** Nothing left to do after the commit: the relay publishes the row. */
    @Override
    public void start(Order order) {
    }
}

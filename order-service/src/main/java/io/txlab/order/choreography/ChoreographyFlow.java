package io.txlab.order.choreography;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderPlaced;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.order.PendingOrderFlow;
import io.txlab.order.saga.ParticipantSteps;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.messaging.DirectPublisher;
import org.springframework.stereotype.Component;

/**
 * Starts the {@code choreography} flow: OrderPlaced is sent to Kafka after the order row committed. If the process
 * dies (or Kafka fails) in between, the order stays PENDING and nothing else happens: the direct-publish loss window,
 * left open on purpose and counted ({@link DirectPublisher#failures()}); the {@code outbox} flow closes it.
 */
@Component
@ConditionalOnFlow(Flow.CHOREOGRAPHY)
public class ChoreographyFlow extends PendingOrderFlow {

    private final ParticipantSteps participants;
    private final DirectPublisher publisher;

    public ChoreographyFlow(OrderService orders, ParticipantSteps participants, DirectPublisher publisher) {
        super(Flow.CHOREOGRAPHY, orders);
        this.participants = participants;
        this.publisher = publisher;
    }

    /** No class holds this saga: its steps are what the participants recorded. */
    @Override
    public OrderSteps steps(Order order) {
        return participants.view(order);
    }

    @Override
    public void start(Order order) {
        publisher.send(OrderPlaced.of(order.id(), Flow.CHOREOGRAPHY, order.customerId(), order.lines(),
                order.total()));
    }
}

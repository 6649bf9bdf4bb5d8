package io.txlab.order.choreography;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderPlaced;
import io.txlab.order.order.FlowLauncher;
import io.txlab.order.order.Order;
import io.txlab.platform.messaging.DirectPublisher;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Starts the {@code choreography} flow: OrderPlaced is sent to Kafka after the order row committed. If the process
 * dies (or Kafka fails) in between, the order stays PENDING and nothing else happens: the direct-publish loss window,
 * left open on purpose and counted ({@link DirectPublisher#failures()}); the {@code outbox} flow closes it.
 */
@Component
@ConditionalOnProperty(prefix = "txlab.choreography", name = "enabled", havingValue = "true")
public class ChoreographyLauncher implements FlowLauncher {

    private final DirectPublisher publisher;

    public ChoreographyLauncher(DirectPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Flow flow() {
        return Flow.CHOREOGRAPHY;
    }

    @Override
    public void start(Order order) {
        publisher.send(OrderPlaced.of(order.id(), Flow.CHOREOGRAPHY, order.customerId(), order.lines(),
                order.total()));
    }
}

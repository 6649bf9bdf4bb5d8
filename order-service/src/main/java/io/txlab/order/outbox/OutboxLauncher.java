package io.txlab.order.outbox;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderPlaced;
import io.txlab.order.order.FlowLauncher;
import io.txlab.order.order.Order;
import io.txlab.platform.messaging.OutboxWriter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** Starts the {@code outbox} flow by writing OrderPlaced in the transaction that places the order. */
@Component
@ConditionalOnProperty(prefix = "txlab.choreography", name = "enabled", havingValue = "true")
public class OutboxLauncher implements FlowLauncher {

    private final OutboxWriter outbox;

    public OutboxLauncher(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    @Override
    public Flow flow() {
        return Flow.OUTBOX;
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

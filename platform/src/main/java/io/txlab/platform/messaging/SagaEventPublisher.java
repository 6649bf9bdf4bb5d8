package io.txlab.platform.messaging;

import io.txlab.contracts.Flow;
import io.txlab.contracts.SagaEvent;

/**
 * How a service emits its reaction: the same way the order was placed, so one set of topics and listeners serves
 * both event-driven flows. {@link Flow#OUTBOX} events go into the outbox in the current transaction;
 * {@link Flow#CHOREOGRAPHY} events are sent to Kafka after it commits.
 */
public class SagaEventPublisher {

    private final DirectPublisher direct;
    private final OutboxWriter outbox;

    public SagaEventPublisher(DirectPublisher direct, OutboxWriter outbox) {
        this.direct = direct;
        this.outbox = outbox;
    }

    /** Call inside the transaction of the change the event reports. */
    public void publish(SagaEvent event) {
        switch (event.flow()) {
            case OUTBOX -> outbox.write(event);
            case CHOREOGRAPHY -> direct.publishAfterCommit(event);
            default -> throw new IllegalArgumentException(
                    "flow " + event.flow().id() + " does not publish saga events on Kafka");
        }
    }
}

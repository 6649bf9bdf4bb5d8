package io.txlab.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * An event of the order saga as the {@code choreography} and {@code outbox} flows exchange it on Kafka.
 *
 * <p>{@link #eventId()} is the deduplication key: consumers record it in their inbox in the same transaction as the
 * effect, so a redelivered or replayed event changes nothing. {@link #orderId()} is the Kafka key (per-order
 * ordering). {@link #flow()} says how the order was placed; each service publishes its reaction the same way
 * (directly after commit for {@link Flow#CHOREOGRAPHY}, through its outbox for {@link Flow#OUTBOX}), so both flows
 * share topics and listeners.
 */
public interface SagaEvent {

    UUID eventId();

    UUID orderId();

    Flow flow();

    Instant occurredAt();

    /** The topic of the service that owns (publishes) this event. */
    default String topic() {
        return SagaEvents.topicOf(getClass());
    }

    /** The value of the {@link Topics#EVENT_TYPE_HEADER} header. */
    default String eventType() {
        return getClass().getSimpleName();
    }
}

package io.txlab.platform.messaging;

import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.serializer.DeserializationException;

/**
 * The record interceptor of every saga listener container, run before a record is observed or handed to the
 * listener:
 * <ul>
 *   <li>a record without a value is a dead letter at once: Kafka hands a null value to no deserializer, and the
 *       listeners' default handler would drop it silently;</li>
 *   <li>an event the listener has no handler for (only its default handler, which ignores it) is skipped: Spring
 *       Kafka commits its offset like a handled one's, and no observation, span, message conversion or handler lookup
 *       is paid for it (adr/0049). Each saga event goes to two of the three services, and one of them ignores it.</li>
 * </ul>
 */
final class SagaRecordInterceptor implements RecordInterceptor<Object, Object> {

    private final Supplier<Optional<HandledSagaEvents>> lookup;
    private volatile Optional<HandledSagaEvents> handled;

    /**
     * @param lookup what the container's listener handles; asked once, at the first record, when every bean exists
     */
    SagaRecordInterceptor(Supplier<Optional<HandledSagaEvents>> lookup) {
        this.lookup = lookup;
    }

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
                                                    Consumer<Object, Object> consumer) {
        if (record.value() == null) {
            throw new DeserializationException("record on " + record.topic() + " has no value", null, false, null);
        }
        Optional<HandledSagaEvents> events = handled;
        if (events == null) {
            events = lookup.get();
            handled = events;
        }
        return events.isPresent() && !events.get().handles(record.value().getClass()) ? null : record;
    }
}

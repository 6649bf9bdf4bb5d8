package io.txlab.platform.messaging;

import io.txlab.contracts.SagaEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer of the saga topics: a {@link SagaEvent} as its JSON; a {@link String} (a payload the
 * outbox relays already hold as JSON) and {@code byte[]} (a dead letter's original bytes) unchanged.
 */
public class SagaEventSerializer implements Serializer<Object> {

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        if (data instanceof byte[] bytes) {
            return bytes;
        }
        if (data instanceof String json) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        if (data instanceof SagaEvent event) {
            return SagaEventJson.write(event).getBytes(StandardCharsets.UTF_8);
        }
        throw new SerializationException("cannot serialize " + data.getClass().getName() + " to " + topic);
    }
}

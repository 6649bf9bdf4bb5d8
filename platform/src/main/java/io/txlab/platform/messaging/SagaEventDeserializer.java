package io.txlab.platform.messaging;

import io.txlab.contracts.SagaEvent;
import io.txlab.contracts.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer of the saga topics: picks the record type from the {@code eventType} header and reads the
 * JSON value into it. Wrapped in Spring's {@code ErrorHandlingDeserializer}, so a value it cannot read (no or unknown
 * header, no value, a value over {@value #MAX_VALUE_BYTES} bytes, malformed JSON) becomes a dead letter at once instead
 * of being retried.
 */
public class SagaEventDeserializer implements Deserializer<SagaEvent> {

    /** Far above any saga event (a 100-line order is ~6 KB); a larger value is not one of ours and is not parsed. */
    public static final int MAX_VALUE_BYTES = 64 * 1024;

    @Override
    public SagaEvent deserialize(String topic, byte[] data) {
        throw new SerializationException("saga events need the " + Topics.EVENT_TYPE_HEADER + " header");
    }

    @Override
    public SagaEvent deserialize(String topic, Headers headers, byte[] data) {
        Header type = headers == null ? null : headers.lastHeader(Topics.EVENT_TYPE_HEADER);
        if (type == null) {
            throw new SerializationException("record on " + topic + " has no " + Topics.EVENT_TYPE_HEADER + " header");
        }
        if (data == null) {
            throw new SerializationException("record on " + topic + " has no value");
        }
        if (data.length > MAX_VALUE_BYTES) {
            throw new SerializationException("record on " + topic + " has a value of " + data.length
                    + " bytes, over the " + MAX_VALUE_BYTES + " a saga event may have");
        }
        try {
            return SagaEventJson.read(new String(type.value(), StandardCharsets.UTF_8), data);
        } catch (RuntimeException e) {
            throw new SerializationException("cannot read " + topic + " record: " + e.getMessage(), e);
        }
    }
}

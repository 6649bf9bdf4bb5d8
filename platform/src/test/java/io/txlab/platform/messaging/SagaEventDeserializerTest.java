package io.txlab.platform.messaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class SagaEventDeserializerTest {

    private final SagaEventDeserializer deserializer = new SagaEventDeserializer();

    @Test
    void whatIsNoSagaEventIsASerializationErrorNeverAnEvent() {
        RecordHeaders placed = new RecordHeaders();
        placed.add(Topics.EVENT_TYPE_HEADER, "OrderPlaced".getBytes(StandardCharsets.UTF_8));
        RecordHeaders unknown = new RecordHeaders();
        unknown.add(Topics.EVENT_TYPE_HEADER, "OrderTeleported".getBytes(StandardCharsets.UTF_8));
        byte[] json = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] huge = new byte[SagaEventDeserializer.MAX_VALUE_BYTES + 1];

        assertThatThrownBy(() -> deserializer.deserialize("t", new RecordHeaders(), json))
                .isInstanceOf(SerializationException.class).hasMessageContaining("header");
        assertThatThrownBy(() -> deserializer.deserialize("t", unknown, json))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", placed, (byte[]) null))
                .isInstanceOf(SerializationException.class).hasMessageContaining("no value");
        assertThatThrownBy(() -> deserializer.deserialize("t", placed, huge))
                .isInstanceOf(SerializationException.class).hasMessageContaining("bytes");
    }
}

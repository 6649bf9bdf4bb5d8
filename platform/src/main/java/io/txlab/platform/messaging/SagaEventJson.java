package io.txlab.platform.messaging;

import io.txlab.contracts.SagaEvent;
import io.txlab.contracts.SagaEvents;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON form of a {@link SagaEvent}, used by the direct publisher, the outbox writer and the consumers, so a
 * consumer cannot tell (and need not care) which path delivered an event. Pinned by the golden samples in
 * {@code contracts/src/test/resources/samples/choreography}.
 */
public final class SagaEventJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SagaEventJson() {
    }

    public static String write(SagaEvent event) {
        return JSON.writeValueAsString(event);
    }

    /**
     * @throws IllegalArgumentException if {@code eventType} is not a known saga event
     * @throws tools.jackson.core.JacksonException if the JSON does not match the type
     */
    public static SagaEvent read(String eventType, byte[] json) {
        Class<? extends SagaEvent> type = SagaEvents.forType(eventType).orElseThrow(() -> new IllegalArgumentException(
                "unknown event type '" + eventType + "'; known: " + SagaEvents.all().keySet()));
        return JSON.readValue(json, type);
    }

    public static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}

package io.txlab.contracts.inventory;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.SagaEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The stock held for the order went back on the shelf (compensation after a declined payment). Emitted by inventory-service on {@code inventory.events}; order reacts by cancelling with {@code reason}, the reason the payment gave.
 */
public record StockReleased(UUID eventId, UUID orderId, Flow flow, RejectionReason reason, Instant occurredAt)
        implements SagaEvent {

    public StockReleased {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static StockReleased of(UUID orderId, Flow flow, RejectionReason reason) {
        return new StockReleased(UUID.randomUUID(), orderId, flow, reason, Instant.now());
    }
}

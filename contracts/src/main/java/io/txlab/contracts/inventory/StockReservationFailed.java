package io.txlab.contracts.inventory;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.SagaEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Nothing is held: a line was short (OUT_OF_STOCK) or unknown (UNKNOWN_SKU). Emitted by inventory-service on {@code inventory.events}; order reacts by cancelling with {@code reason}. Also emitted when the order had been released before the reserve arrived.
 */
public record StockReservationFailed(UUID eventId, UUID orderId, Flow flow, RejectionReason reason, Instant occurredAt)
        implements SagaEvent {

    public StockReservationFailed {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static StockReservationFailed of(UUID orderId, Flow flow, RejectionReason reason) {
        return new StockReservationFailed(UUID.randomUUID(), orderId, flow, reason, Instant.now());
    }
}

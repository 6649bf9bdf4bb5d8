package io.txlab.contracts.inventory;

import io.txlab.contracts.Flow;
import io.txlab.contracts.SagaEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Every line of the order is held. Emitted by inventory-service on {@code inventory.events}; payment reacts by
 * authorizing {@code total} for {@code customerId} (copied from {@code OrderPlaced} so payment needs nothing else).
 */
public record StockReserved(UUID eventId, UUID orderId, Flow flow, String customerId, BigDecimal total,
                            List<StockLine> lines, Instant occurredAt) implements SagaEvent {

    public StockReserved {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(occurredAt, "occurredAt");
        lines = List.copyOf(lines);
    }

    public static StockReserved of(UUID orderId, Flow flow, String customerId, BigDecimal total,
                                   List<StockLine> lines) {
        return new StockReserved(UUID.randomUUID(), orderId, flow, customerId, total, lines, Instant.now());
    }
}

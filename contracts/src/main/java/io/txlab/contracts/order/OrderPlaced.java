package io.txlab.contracts.order;

import io.txlab.contracts.Flow;
import io.txlab.contracts.SagaEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An order was stored PENDING and its saga starts. Emitted by order-service on {@code order.events}; inventory
 * reacts by reserving the lines. Carries everything downstream needs so nobody calls back into order-service.
 */
public record OrderPlaced(UUID eventId, UUID orderId, Flow flow, String customerId, List<OrderLine> lines,
                          BigDecimal total, Instant occurredAt) implements SagaEvent {

    public OrderPlaced {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(occurredAt, "occurredAt");
        lines = List.copyOf(lines);
    }

    public static OrderPlaced of(UUID orderId, Flow flow, String customerId, List<OrderLine> lines,
                                 BigDecimal total) {
        return new OrderPlaced(UUID.randomUUID(), orderId, flow, customerId, lines, total, Instant.now());
    }
}

package io.txlab.order.api;

import io.txlab.contracts.order.OrderLine;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the REST API shows it; {@code flow} is the lowercase flow id. */
public record OrderView(
        UUID id,
        String customerId,
        String flow,
        OrderStatus status,
        String reason,
        BigDecimal total,
        List<OrderLine> lines,
        Instant createdAt,
        Instant completedAt) {

    static OrderView of(Order order) {
        return new OrderView(order.id(), order.customerId(), order.flow().id(), order.status(), order.reason(),
                order.total(), order.lines(), order.createdAt(), order.completedAt());
    }
}

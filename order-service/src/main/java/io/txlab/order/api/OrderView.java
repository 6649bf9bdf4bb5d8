package io.txlab.order.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as the REST API shows it; {@code flow} is the lowercase flow id. {@code backend} names the store that
 * holds an order placed through an {@link io.txlab.order.order.OrderFlow} with a store of its own (e.g.
 * {@code postgresql-serializable-standin} for the cockroach flow) and is absent otherwise.
 */
public record OrderView(
        UUID id,
        String customerId,
        String flow,
        OrderStatus status,
        String reason,
        BigDecimal total,
        List<OrderLine> lines,
        Instant createdAt,
        Instant completedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant deadlineAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String backend) {

    static OrderView of(Order order) {
        return of(order, null);
    }

    static OrderView of(Order order, String backend) {
        return new OrderView(order.id(), order.customerId(), order.flow().id(), order.status(), order.reason(),
                order.total(), order.lines(), order.createdAt(), order.completedAt(), order.deadlineAt(), backend);
    }
}

package io.txlab.order.order;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * An order as stored: who ordered what, which flow drives it, and where it stands.
 *
 * @param reason      why it was cancelled (a {@link io.txlab.contracts.RejectionReason} name); null otherwise
 * @param total       the sum of the line totals, scale 2
 * @param completedAt when it became final; null while {@link OrderStatus#PENDING}
 * @param deadlineAt  when its flow gives up on it if it is still PENDING ({@code DEADLINE_EXCEEDED}, adr/0038); null
 *                    for none
 */
public record Order(
        UUID id,
        String customerId,
        Flow flow,
        OrderStatus status,
        String reason,
        BigDecimal total,
        List<OrderLine> lines,
        Instant createdAt,
        Instant completedAt,
        Instant deadlineAt) {

    public Order {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(createdAt, "createdAt");
        lines = List.copyOf(lines);
    }

    /** An order without a deadline. */
    public Order(UUID id, String customerId, Flow flow, OrderStatus status, String reason, BigDecimal total,
                 List<OrderLine> lines, Instant createdAt, Instant completedAt) {
        this(id, customerId, flow, status, reason, total, lines, createdAt, completedAt, null);
    }

    public boolean isFinal() {
        return status.isFinal();
    }
}

package io.txlab.order.order;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The command to place an order: already validated by the caller (bean validation and catalogue look-ups).
 *
 * @param deadline how long the order may stay PENDING before its flow gives up on it and cancels it with
 *                 {@code DEADLINE_EXCEEDED} (adr/0038), counted from its creation; null for none. Not part of the
 *                 command's identity for idempotency: a retry carries whatever time its caller has left, and the
 *                 first placement's deadline holds.
 */
public record PlaceOrder(String customerId, Flow flow, List<OrderLine> lines, Duration deadline) {

    public PlaceOrder {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(flow, "flow");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("a deadline must be positive, got " + deadline);
        }
    }

    /** An order without a deadline. */
    public PlaceOrder(String customerId, Flow flow, List<OrderLine> lines) {
        this(customerId, flow, lines, null);
    }

    public BigDecimal total() {
        return lines.stream()
                .map(OrderLine::lineTotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
    }
}

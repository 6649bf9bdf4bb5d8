package io.txlab.order.order;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;

/** The command to place an order: already validated by the caller (bean validation and catalogue look-ups). */
public record PlaceOrder(String customerId, Flow flow, List<OrderLine> lines) {

    public PlaceOrder {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(flow, "flow");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("an order needs at least one line");
        }
    }

    public BigDecimal total() {
        return lines.stream()
                .map(OrderLine::lineTotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(2, RoundingMode.UNNECESSARY);
    }
}

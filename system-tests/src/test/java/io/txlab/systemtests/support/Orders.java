package io.txlab.systemtests.support;

import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.util.List;

/** Order fixtures matching the seed data every service ships (see CONTEXT of the seeds in the migrations). */
public final class Orders {

    /** A customer with a large balance. */
    public static final String RICH = "C-0001";
    /** A customer whose balance is zero: every payment is declined. */
    public static final String BROKE = "BROKE-01";
    /** A SKU with no stock: every reservation is refused. */
    public static final String SOLD_OUT = "SOLDOUT-01";
    /** A SKU with 100 units, for contention scenarios. */
    public static final String HOT = "HOT-01";

    private Orders() {
    }

    public static List<OrderLine> oneOf(String sku) {
        return List.of(line(sku, 1));
    }

    /** A line at the SKU's catalogue price (orders with another price are refused). */
    public static OrderLine line(String sku, int quantity) {
        return new OrderLine(sku, quantity, price(sku));
    }

    /** The seed catalogue's price: {@code SKU-n} costs 10.00 + (n mod 90), every other seeded SKU 10.00. */
    public static BigDecimal price(String sku) {
        return sku.startsWith("SKU-")
                ? new BigDecimal("10.00").add(BigDecimal.valueOf(Integer.parseInt(sku.substring(4)) % 90))
                : new BigDecimal("10.00");
    }

    /** What {@code quantity} units of {@code sku} cost, in cents. */
    public static long cents(String sku, int quantity) {
        return price(sku).movePointRight(2).longValueExact() * quantity;
    }

    /** A plain two-line order that every flow confirms for {@link #RICH}. */
    public static List<OrderLine> happy() {
        return List.of(line("SKU-0001", 2), line("SKU-0002", 1));
    }
}

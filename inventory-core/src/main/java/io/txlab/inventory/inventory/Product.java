package io.txlab.inventory.inventory;

import java.math.BigDecimal;

/**
 * A catalogue entry. {@code price} is informational: an order line carries the unit price the customer saw.
 * {@code available} is what can still be reserved.
 */
public record Product(String sku, String name, BigDecimal price, int available) {
}

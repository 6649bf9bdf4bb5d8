package io.txlab.contracts.inventory;

import java.util.Objects;

/**
 * {@code quantity} units of {@code sku} to reserve or release for an order. Shared by every flow that asks inventory
 * for stock; the price stays on the order ({@link io.txlab.contracts.order.OrderLine}) because inventory does not
 * need it.
 */
public record StockLine(String sku, int quantity) {

    public StockLine {
        Objects.requireNonNull(sku, "sku");
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be positive, was " + quantity);
        }
    }
}

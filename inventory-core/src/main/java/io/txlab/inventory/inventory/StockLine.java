package io.txlab.inventory.inventory;

import java.util.Objects;

/** {@code quantity} units of {@code sku}, as asked for by an order or held by a reservation. */
public record StockLine(String sku, int quantity) {

    public StockLine {
        Objects.requireNonNull(sku, "sku");
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity of " + sku + " must be positive, was " + quantity);
        }
    }
}

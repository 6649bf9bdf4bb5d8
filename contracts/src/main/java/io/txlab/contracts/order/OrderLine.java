package io.txlab.contracts.order;

import java.math.BigDecimal;

/**
 * One line of an order: {@code quantity} units of {@code sku} at {@code unitPrice} each (the price is fixed when the
 * order is placed, so payment charges what the customer saw).
 */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

    public BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}

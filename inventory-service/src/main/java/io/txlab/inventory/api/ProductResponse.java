package io.txlab.inventory.api;

import io.txlab.inventory.inventory.Product;
import java.math.BigDecimal;

/** A catalogue entry as the API shows it. */
public record ProductResponse(String sku, String name, BigDecimal price, int available) {

    static ProductResponse of(Product product) {
        return new ProductResponse(product.sku(), product.name(), product.price(), product.available());
    }
}

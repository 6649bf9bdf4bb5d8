package io.txlab.inventory.api;

import io.txlab.inventory.config.InventoryApiProperties;
import io.txlab.inventory.inventory.InventoryService;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The catalogue, read-only. order-service checks SKUs here before it accepts an order. */
@RestController
public class ProductController {

    private final InventoryService inventory;
    private final InventoryApiProperties properties;

    public ProductController(InventoryService inventory, InventoryApiProperties properties) {
        this.inventory = inventory;
        this.properties = properties;
    }

    /** Products in SKU order; {@code limit} above {@code txlab.inventory.api.max-product-page-size} is cut to it. */
    @GetMapping("/products")
    public List<ProductResponse> products(
            @RequestParam(defaultValue = "0") @PositiveOrZero int offset,
            @RequestParam(required = false) @Positive Integer limit) {
        int size = Math.min(limit == null ? properties.productPageSize() : limit, properties.maxProductPageSize());
        return inventory.products(offset, size).stream().map(ProductResponse::of).toList();
    }

    @GetMapping("/products/{sku}")
    public ResponseEntity<?> product(@PathVariable String sku) {
        return inventory.findProduct(sku)
                .<ResponseEntity<?>>map(product -> ResponseEntity.ok(ProductResponse.of(product)))
                .orElseGet(() -> ResponseEntity.status(404).body(InventoryProblems.productNotFound(sku)));
    }
}

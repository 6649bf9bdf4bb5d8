package io.txlab.inventory.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of inventory's REST API.
 *
 * @param productPageSize    products returned by {@code GET /products} when no {@code limit} is given
 * @param maxProductPageSize the largest {@code limit} honoured; bigger requests are cut to it
 */
@ConfigurationProperties("txlab.inventory.api")
public record InventoryApiProperties(
        @DefaultValue("100") int productPageSize,
        @DefaultValue("1000") int maxProductPageSize) {
}

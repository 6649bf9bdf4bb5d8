package io.txlab.order.config;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where order-service finds the services it validates orders against.
 *
 * @param inventoryUrl base URL of inventory-service ({@code GET /products/{sku}})
 * @param paymentUrl   base URL of payment-service ({@code GET /customers/{id}})
 * @param timeout      connect and read timeout of one look-up; past it the look-up counts as unavailable (503)
 */
@ConfigurationProperties("txlab.services")
public record ServicesProperties(
        @DefaultValue("http://127.0.0.1:8082") URI inventoryUrl,
        @DefaultValue("http://127.0.0.1:8083") URI paymentUrl,
        @DefaultValue("2s") Duration timeout) {
}

package io.txlab.order.observability;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the order metrics, prefix {@code txlab.observability}.
 *
 * @param notFinalAfter   a PENDING order older than this counts in {@code txlab.orders.not.final}
 * @param notFinalRefresh how often that gauge's query runs; a scrape reads the last result, never the database
 */
@ConfigurationProperties("txlab.observability")
public record ObservabilityProperties(
        @DefaultValue("30s") Duration notFinalAfter,
        @DefaultValue("10s") Duration notFinalRefresh) {
}

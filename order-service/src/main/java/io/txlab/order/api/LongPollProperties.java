package io.txlab.order.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code txlab.orders.long-poll.*}: bounds of {@code GET /orders/{id}?waitForFinal=...} (each wait is at most 30 s).
 *
 * @param maxWaiting long-polls this process holds at once; one more is answered 503 {@code long-poll-capacity} with
 *                   {@code Retry-After: 1} at once (a plain {@code GET /orders/{id}} still answers), so open long-polls
 *                   cannot exhaust memory or starve the API
 */
@ConfigurationProperties("txlab.orders.long-poll")
public record LongPollProperties(@DefaultValue("10000") int maxWaiting) {

    public LongPollProperties {
        if (maxWaiting < 1) {
            throw new IllegalArgumentException("txlab.orders.long-poll.max-waiting must be at least 1");
        }
    }
}

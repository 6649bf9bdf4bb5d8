package io.txlab.order.api;

import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code txlab.orders.long-poll.*}: bounds of {@code GET /orders/{id}?waitForFinal=...} and of {@code POST /orders}
 * with {@code Prefer: wait=n} (each wait is at most 30 s).
 *
 * @param maxWaiting long-polls this process holds at once; one more is answered 503 {@code long-poll-capacity} with
 *                   {@code Retry-After: 1} at once (a plain {@code GET /orders/{id}} still answers; a POST is answered
 *                   with the order as placed), so open long-polls cannot exhaust memory or starve the API. Unset: as
 *                   many as a quarter of the heap holds (ADR 51), see {@link #maxWaitingFor(long)}
 */
@ConfigurationProperties("txlab.orders.long-poll")
public record LongPollProperties(Integer maxWaiting) {

    /**
     * What one waiting long-poll holds on the heap: the request and response Tomcat keeps for it while it waits, their
     * input, output and header buffers (about 88 KiB in a heap dump of order-service with 1955 of them, ADR 51), and
     * a margin for the waiter itself.
     */
    static final long BYTES_PER_WAITER = 96 * 1024;
    /** The share of the heap waiting long-polls may hold when {@code max-waiting} is unset: one part in this many. */
    static final int HEAP_SHARE = 4;
    /** The most the heap-derived bound allows, however large the heap: each waiter also costs a connection. */
    static final int MAX_DERIVED = 10_000;

    public LongPollProperties {
        if (maxWaiting != null && maxWaiting < 1) {
            throw new IllegalArgumentException("txlab.orders.long-poll.max-waiting must be at least 1");
        }
    }

    /**
     * The bound in force: {@code max-waiting} when it is set, otherwise as many waiters as a quarter of
     * {@code maxHeapBytes} holds at {@value #BYTES_PER_WAITER} bytes each (at least 1, at most {@value #MAX_DERIVED}).
     */
    public int maxWaitingFor(long maxHeapBytes) {
        return maxWaiting != null ? maxWaiting : derived(maxHeapBytes);
    }

    /** Where {@link #maxWaitingFor} takes its bound from, as order-service logs it at start. */
    public String sourceOf(long maxHeapBytes) {
        return maxWaiting != null ? "txlab.orders.long-poll.max-waiting"
                : String.format(Locale.ROOT, "1/%d of the %d MiB heap at %d KiB per waiter", HEAP_SHARE,
                maxHeapBytes / (1024 * 1024), BYTES_PER_WAITER / 1024);
    }

    private static int derived(long maxHeapBytes) {
        return (int) Math.max(1, Math.min(MAX_DERIVED, maxHeapBytes / HEAP_SHARE / BYTES_PER_WAITER));
    }
}

package io.txlab.order.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.Flow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code txlab.orders.not.final} (flow): PENDING orders older than {@code txlab.observability.not-final-after}, i.e.
 * the stuck ones. A periodic query refreshes the values; a scrape only reads them, so scraping costs the database
 * nothing and a slow database cannot slow the scrape. The {@code cockroach} flow never has a PENDING order (its
 * orders are final when placed), so its series stays 0.
 */
@Component
public class NotFinalOrders implements AutoCloseable {

    public static final String NOT_FINAL = "txlab.orders.not.final";

    private static final Logger log = LoggerFactory.getLogger(NotFinalOrders.class);

    private final JdbcClient jdbc;
    private final ObservabilityProperties properties;
    private final Map<Flow, AtomicLong> counts = new EnumMap<>(Flow.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "orders-not-final");
        thread.setDaemon(true);
        return thread;
    });

    public NotFinalOrders(JdbcClient jdbc, ObservabilityProperties properties, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.properties = properties;
        for (Flow flow : Flow.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(flow, count);
            Gauge.builder(NOT_FINAL, count, AtomicLong::get)
                    .description("PENDING orders older than txlab.observability.not-final-after")
                    .tag("flow", flow.id())
                    .register(registry);
        }
        long period = properties.notFinalRefresh().toMillis();
        timer.scheduleWithFixedDelay(this::refreshQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    /** Runs the query now and updates the gauges. */
    public void refresh() {
        Map<Flow, Long> found = new EnumMap<>(Flow.class);
        jdbc.sql("""
                        SELECT flow, count(*) AS n FROM purchase_order
                        WHERE status = 'PENDING' AND created_at < ? GROUP BY flow""")
                .param(Instant.now().minus(properties.notFinalAfter()).atOffset(ZoneOffset.UTC))
                .query((RowCallbackHandler) rs -> found.put(Flow.fromId(rs.getString("flow")), rs.getLong("n")));
        counts.forEach((flow, count) -> count.set(found.getOrDefault(flow, 0L)));
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // Keep the last values: a database hiccup must not stop the schedule.
            log.warn("could not count the orders not final: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

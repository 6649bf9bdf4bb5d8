package io.txlab.order.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.Flow;
import io.txlab.platform.scheduling.PeriodicTask;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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

    private final JdbcClient jdbc;
    private final ObservabilityProperties properties;
    private final Map<Flow, AtomicLong> counts = new EnumMap<>(Flow.class);
    private final PeriodicTask schedule;

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
        // A failed refresh keeps the last values: PeriodicTask logs it and runs the next one as planned.
        schedule = new PeriodicTask("orders-not-final", properties.notFinalRefresh(), properties.notFinalRefresh(),
                this::refresh);
        schedule.start();
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

    @Override
    public void close() {
        schedule.stop();
    }
}

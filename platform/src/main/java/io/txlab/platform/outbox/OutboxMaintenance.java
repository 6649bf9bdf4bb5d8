package io.txlab.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox's lag gauge and janitor, the same for both relays (each marks a row {@code published_at} once Kafka
 * acknowledged it).
 *
 * <p>{@code txlab.outbox.lag.seconds} is the age of the oldest unpublished row (0 when none): a stuck or stopped
 * relay shows as a steadily growing value, a healthy one as a few ms. Under Debezium the row is marked after the
 * acknowledgement of its batch, so the gauge also includes the engine's poll interval.
 */
public class OutboxMaintenance {

    private static final Logger log = LoggerFactory.getLogger(OutboxMaintenance.class);

    private final JdbcClient jdbc;
    private final Duration retention;

    public OutboxMaintenance(JdbcClient jdbc, Duration retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    public void register(MeterRegistry registry) {
        Gauge.builder("txlab.outbox.lag.seconds", this, OutboxMaintenance::lagSeconds)
                .description("Age of the oldest outbox row not yet relayed to Kafka")
                .baseUnit("seconds")
                .register(registry);
    }

    public double lagSeconds() {
        try {
            Double lag = jdbc.sql("""
                            SELECT coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8
                            FROM outbox WHERE published_at IS NULL""")
                    .query(Double.class)
                    .single();
            return lag == null ? 0 : lag;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Deletes rows published longer than the retention ago; returns how many. */
    public int prune() {
        try {
            return jdbc.sql("DELETE FROM outbox WHERE published_at < now() - make_interval(secs => ?)")
                    .param((double) retention.toSeconds())
                    .update();
        } catch (RuntimeException e) {
            log.warn("outbox janitor failed", e);
            return 0;
        }
    }
}

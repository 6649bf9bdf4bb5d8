package io.txlab.platform.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * {@value #TIMER} (tag {@code relay}: {@code debezium} or {@code polling}): the time from an outbox row's insert
 * ({@code created_at}, {@code clock_timestamp()} in the writing transaction) to Kafka's acknowledgement of the record
 * relayed from it - the hop the outbox adds to the direct publish, per event. Its complement is
 * {@code txlab.outbox.lag.seconds}, the age of the oldest row not relayed yet, which shows a stalled relay that this
 * timer (recorded only for relayed rows) cannot.
 *
 * <p>The two timestamps come from the database's clock and the service's; in one host (the devstack) they are the
 * same clock, in a cluster they differ by the nodes' skew.
 */
public final class RelayLag {

    public static final String TIMER = "txlab.outbox.relay.lag";

    private final Timer timer;

    private RelayLag(Timer timer) {
        this.timer = timer;
    }

    public static RelayLag register(MeterRegistry registry, String relay) {
        return new RelayLag(Timer.builder(TIMER)
                .description("Time from an outbox row's insert to Kafka's acknowledgement of its relayed record")
                .tag("relay", relay)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
    }

    /** Records nothing (no meter registry). */
    public static RelayLag none() {
        return new RelayLag(null);
    }

    void relayed(Instant createdAt, Instant acknowledged) {
        if (timer != null && createdAt != null) {
            Duration lag = Duration.between(createdAt, acknowledged);
            timer.record(lag.isNegative() ? Duration.ZERO : lag);
        }
    }
}

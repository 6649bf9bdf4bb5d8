package io.txlab.platform.messaging;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code txlab.choreography.*}: the Kafka side shared by the {@code choreography} and {@code outbox} flows.
 *
 * @param sendTimeout  how long a publisher waits for Kafka's acknowledgement before counting the event as lost
 * @param retries      redeliveries of a record failing for good (malformed, invalid, a bug) before it becomes a dead
 *                     letter
 * @param retryBackoff first pause between redeliveries, doubled each time (100, 200, 400 ms by default)
 * @param transientMaxBackoff the longest pause between redeliveries of a record failing transiently (database or
 *                     broker down, serialization failure, deadlock: {@link TransientFailures}); such a record is
 *                     redelivered until it succeeds, never dead-lettered, and its partition waits for it
 * @param partitions   partitions of the saga topics (the order id key spreads orders over them)
 * @param concurrency  consumer threads per listener (at most {@code partitions} do work)
 * @param commitInterval how often a listener commits the offsets it processed ({@code AckMode.TIME}); 0 commits after
 *                     every poll ({@code AckMode.BATCH}). After a crash up to this much is delivered again, which the
 *                     inbox drops; at low rates a commit per record is most of the broker's work (adr/0016)
 * @param dltAdmin     the dead-letter admin endpoint
 */
@ConfigurationProperties("txlab.choreography")
public record ChoreographyProperties(
        @DefaultValue("5s") Duration sendTimeout,
        @DefaultValue("3") int retries,
        @DefaultValue("100ms") Duration retryBackoff,
        @DefaultValue("5s") Duration transientMaxBackoff,
        @DefaultValue("3") int partitions,
        @DefaultValue("3") int concurrency,
        @DefaultValue("1s") Duration commitInterval,
        @DefaultValue DltAdmin dltAdmin) {

    /** @param enabled exposes {@code GET /admin/dlt/{topic}} and {@code POST /admin/dlt/{topic}/replay} */
    public record DltAdmin(@DefaultValue("false") boolean enabled) {
    }
}

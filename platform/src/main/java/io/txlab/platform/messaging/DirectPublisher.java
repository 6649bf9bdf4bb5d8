package io.txlab.platform.messaging;

import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.SagaEvent;
import io.txlab.contracts.Topics;
import io.txlab.platform.chaos.CrashPoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The {@code choreography} way to publish: send to Kafka once the local transaction has committed (the usual Spring
 * practice), with no outbox. Two windows are inherent and deliberately left open, because the comparison measures
 * them (see the choreography ADR):
 * <ul>
 *   <li>a crash (or a failed send) after the commit and before Kafka acknowledged the event loses it: the state
 *       changed, nobody downstream hears of it, the order stays PENDING;</li>
 *   <li>a send whose acknowledgement is lost is sent again by the producer's retries (idempotence removes those
 *       within one producer session) or by a caller that retries: consumers drop such duplicates in their inbox.</li>
 * </ul>
 * The send waits for the acknowledgement ({@code acks=all}) so a failure is at least logged and counted.
 */
public class DirectPublisher {

    /** Reached after the local commit and before the send: halting here is the lost-event window. */
    public static final String CRASH_AFTER_COMMIT_BEFORE_PUBLISH =
            CrashPointNames.CHOREOGRAPHY_AFTER_COMMIT_BEFORE_PUBLISH;

    private static final Logger log = LoggerFactory.getLogger(DirectPublisher.class);

    private final KafkaTemplate<Object, Object> kafka;
    private final CrashPoints crashPoints;
    private final Duration sendTimeout;
    private final AtomicLong failures = new AtomicLong();

    public DirectPublisher(KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints, Duration sendTimeout) {
        this.kafka = kafka;
        this.crashPoints = crashPoints;
        this.sendTimeout = sendTimeout;
    }

    /** Sends after the surrounding transaction commits (nothing on rollback); without one, sends now. */
    public void publishAfterCommit(SagaEvent event) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    send(event);
                }
            });
        } else {
            send(event);
        }
    }

    /** @return true once Kafka acknowledged the event; false if it is (as far as this process knows) lost */
    public boolean send(SagaEvent event) {
        crashPoints.reach(CRASH_AFTER_COMMIT_BEFORE_PUBLISH);
        try {
            kafka.send(record(event)).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lost(event, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            lost(event, e);
        }
        return false;
    }

    /** Events whose send failed after their transaction committed: the direct-publish loss, counted. */
    public long failures() {
        return failures.get();
    }

    static ProducerRecord<Object, Object> record(SagaEvent event) {
        ProducerRecord<Object, Object> record = new ProducerRecord<>(event.topic(), event.orderId().toString(), event);
        record.headers().add(Topics.EVENT_TYPE_HEADER, event.eventType().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private void lost(SagaEvent event, Exception e) {
        failures.incrementAndGet();
        log.error("LOST {} {} of order {} ({} flow): its transaction committed but Kafka did not acknowledge it: {}",
                event.eventType(), event.eventId(), event.orderId(), event.flow().id(), e.toString());
    }
}

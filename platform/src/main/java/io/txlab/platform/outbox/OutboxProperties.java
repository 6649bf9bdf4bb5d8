package io.txlab.platform.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code txlab.outbox.*}: how this service's outbox rows reach Kafka.
 *
 * @param relay               {@code debezium} (CDC, the default), {@code polling}, or {@code none}
 * @param slotName            Debezium's replication slot; default {@code txlab_<service>_outbox} from
 *                            {@code spring.application.name}. Slots are per cluster: one per service and database.
 * @param publicationName     the PostgreSQL publication Debezium reads (INSERTs on {@code outbox} only)
 * @param pollInterval        Debezium {@code poll.interval.ms}: how long its streaming thread sleeps after empty
 *                            reads of the replication stream while the relay is busy (adr/0015, adr/0022); an outbox
 *                            commit in this service ends the sleep, so this bounds the wait of a row that reaches the
 *                            stream after the reads its commit triggered. Debezium's default is 500 ms
 * @param idlePause           how long the streaming thread sleeps after empty reads once the relay has had nothing to
 *                            do for a second; an outbox commit in this service wakes it at once, so this bounds only
 *                            the wait of a row written by another process (adr/0022). Not shorter than
 *                            {@code pollInterval}; equal to it keeps the pause constant (still woken by commits)
 * @param queueWait           how long Debezium's engine waits on the connector's empty change-event queue before
 *                            polling again; a record arriving ends the wait at once, so this only sets how often an
 *                            idle relay wakes up ({@link QuietPostgresConnector}, adr/0016). 0 keeps Debezium's
 *                            own wait of {@code pollInterval}
 * @param offsetFlushInterval how often Debezium stores its offset (and confirms the slot): after a SIGKILL at most
 *                            this much is relayed again (duplicates the inbox drops)
 * @param pollingInterval     the polling relay's longest wait between polls when no NOTIFY woke it
 * @param batchSize           rows the polling relay sends per transaction
 * @param retention           published rows are deleted after this long
 * @param janitorInterval     how often the janitor deletes published rows
 */
@ConfigurationProperties("txlab.outbox")
public record OutboxProperties(
        @DefaultValue("debezium") Relay relay,
        String slotName,
        @DefaultValue("txlab_outbox") String publicationName,
        @DefaultValue("50ms") Duration pollInterval,
        @DefaultValue("500ms") Duration idlePause,
        @DefaultValue("500ms") Duration queueWait,
        @DefaultValue("1s") Duration offsetFlushInterval,
        @DefaultValue("200ms") Duration pollingInterval,
        @DefaultValue("100") int batchSize,
        @DefaultValue("1h") Duration retention,
        @DefaultValue("1m") Duration janitorInterval) {

    public enum Relay {
        /** Nothing relays: outbox rows stay until another relay is configured. */
        NONE,
        /** Debezium embedded: pgoutput logical decoding of {@code outbox} INSERTs and the outbox EventRouter. */
        DEBEZIUM,
        /** {@code SELECT ... FOR UPDATE SKIP LOCKED} in a loop, woken by LISTEN/NOTIFY. */
        POLLING
    }

    /** The slot to use for a service named {@code applicationName} (e.g. order-service → txlab_order_outbox). */
    public String slotNameFor(String applicationName) {
        if (slotName != null && !slotName.isBlank()) {
            return slotName;
        }
        String service = applicationName.replaceFirst("-service$", "").replaceAll("[^a-zA-Z0-9]", "_").toLowerCase();
        return "txlab_" + service + "_outbox";
    }
}

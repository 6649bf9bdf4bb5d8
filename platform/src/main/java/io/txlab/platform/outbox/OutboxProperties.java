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
 *                            reads of the replication stream, so at most this much is added to a hop; idle, each
 *                            relay costs a share of a core that grows as this shrinks (adr/0015). Debezium's
 *                            default of 500 ms costs ~0.4 s per hop
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
        @DefaultValue("10ms") Duration pollInterval,
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

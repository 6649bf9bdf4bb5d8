package io.txlab.platform.messaging;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Consumer-side deduplication by event id (table {@code inbox}, migration {@code db/platform/V0_2__inbox.sql}).
 *
 * <p>Call {@link #firstDelivery} inside the transaction that applies the event's effect. The insert blocks on the
 * primary key while another transaction holds the same event, then sees its row once that one commits: so an event
 * is applied once however often Kafka (or a dead-letter replay, or a duplicate publish) delivers it.
 */
public class Inbox {

    private final JdbcClient jdbc;

    public Inbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records that {@code consumer} received {@code eventId}.
     *
     * @return true the first time; false for a duplicate, which the caller skips
     * @throws IllegalStateException outside a transaction: the record must commit or roll back with the effect
     */
    public boolean firstDelivery(UUID eventId, String consumer) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("the inbox must be written in the transaction of the event's effect");
        }
        return jdbc.sql("INSERT INTO inbox (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
                .params(consumer, eventId)
                .update() == 1;
    }
}

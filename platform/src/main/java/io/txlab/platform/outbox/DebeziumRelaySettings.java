package io.txlab.platform.outbox;

import java.time.Duration;
import java.util.Properties;

/**
 * The Debezium engine settings every outbox relay shares. A class of its own, which needs nothing but the connector,
 * so that the mechanism floor runs the services' relay settings without Spring on its classpath.
 */
public final class DebeziumRelaySettings {

    private DebeziumRelaySettings() {
    }

    /**
     * What every Debezium outbox relay engine is, {@link DebeziumOutboxRelay}'s and the mechanism floor's (load-tests,
     * adr/0057): the connector and its database, slot and publication, the waits of adr/0015, adr/0016 and
     * adr/0022, one record per batch, and the outbox EventRouter turning each row into the record for its topic. The
     * caller adds its offset store and whatever else it carries.
     *
     * @param pauseKey the key its {@link RelayPause} was registered under ({@link QuietPostgresConnector#register});
     *                 null: Debezium's constant pause of {@code pollInterval}
     */
    public static Properties of(String engineName, RelayDatabase database, String slotName, String publicationName,
                                Duration pollInterval, Duration queueWait, String pauseKey) {
        Properties p = new Properties();
        p.setProperty("name", engineName);
        p.setProperty("connector.class", QuietPostgresConnector.class.getName());
        p.setProperty(QuietPostgresConnector.QUEUE_WAIT_PROPERTY, Long.toString(queueWait.toMillis()));
        if (pauseKey != null) {
            p.setProperty(QuietPostgresConnector.PAUSE_PROPERTY, pauseKey);
        }
        p.setProperty("database.hostname", database.host());
        p.setProperty("database.port", Integer.toString(database.port()));
        p.setProperty("database.dbname", database.databaseName());
        p.setProperty("database.user", database.username());
        p.setProperty("database.password", database.password());
        p.setProperty("topic.prefix", engineName);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", slotName);
        p.setProperty("publication.name", publicationName);
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("table.include.list", "public.outbox");
        // The slot is created before the engine starts; rows from before it are the polling relay's business.
        p.setProperty("snapshot.mode", "no_data");
        p.setProperty("tombstones.on.delete", "false");
        // poll.interval.ms paces the streaming thread: it reads the replication stream without blocking and sleeps
        // this long after empty reads, so a hop waits up to this long (adr/0015); with a RelayPause, only while the
        // relay is busy, and an outbox commit in this JVM ends the sleep (adr/0022). Stock Debezium also waits this long
        // on the engine's queue; QuietPostgresConnector makes that wait queueWait (adr/0016). max.batch.size=1 makes
        // the queue hand over each record the moment it arrives instead of waiting for 2048 of them.
        p.setProperty("poll.interval.ms", Long.toString(pollInterval.toMillis()));
        p.setProperty("max.batch.size", "1");
        p.setProperty("transforms", "outbox");
        p.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        p.setProperty("transforms.outbox.route.by.field", "aggregatetype");
        p.setProperty("transforms.outbox.route.topic.replacement", "${routedByValue}");
        p.setProperty("transforms.outbox.table.field.event.key", "aggregateid");
        p.setProperty("transforms.outbox.table.field.event.payload", "payload");
        // payload is text holding the event's JSON: relay it verbatim, byte for byte what the direct path sends.
        p.setProperty("transforms.outbox.table.expand.json.payload", "false");
        return p;
    }
}

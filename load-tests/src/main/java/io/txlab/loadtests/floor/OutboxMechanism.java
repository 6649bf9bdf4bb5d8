package io.txlab.loadtests.floor;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.txlab.devstack.Topology;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.platform.outbox.DebeziumRelaySettings;
import io.txlab.platform.outbox.QuietPostgresConnector;
import io.txlab.platform.outbox.RelayDatabase;
import io.txlab.platform.outbox.RelayPause;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Flow outbox's mechanism: choreography's three hops and four local commits, but each event is a row of the outbox
 * table written in the step's transaction, and a Debezium embedded engine per database, in this JVM, relays it from
 * the WAL to Kafka, as each service's relay does (adr/0015, adr/0016, adr/0022): the platform's
 * {@link QuietPostgresConnector} with {@code pgoutput} over an INSERT-only publication and a slot created before the
 * first row, the outbox EventRouter routing a row to the topic its {@code aggregatetype} names, one record per batch,
 * a {@link RelayPause} woken by this JVM's own outbox commits (50 ms while busy, 500 ms idle), a record acknowledged by
 * Kafka before it is marked processed. Two things the services' relay does are left out as bookkeeping the pattern
 * does not need: marking relayed rows published (their lag gauge and janitor) and carrying the trace context; its
 * offsets are flushed every second to a file instead of a table.
 */
final class OutboxMechanism extends ChoreographyMechanism {

    private static final String PUBLICATION = "txlab_mechanism_outbox";
    private static final String SLOT = "txlab_mechanism_outbox";
    /** As the services' {@code txlab.outbox}: poll-interval, idle-pause, queue-wait, offset-flush-interval. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration IDLE_PAUSE = Duration.ofMillis(500);
    private static final Duration QUEUE_WAIT = Duration.ofMillis(500);
    private static final Duration OFFSET_FLUSH = Duration.ofSeconds(1);
    private static final List<String> CLUSTERS = List.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY,
            Topology.POSTGRES_PAYMENT);

    private final Map<String, RelayPause> pauses = new HashMap<>();
    private final List<DebeziumEngine<RecordChangeEvent<SourceRecord>>> engines = new ArrayList<>();
    private ExecutorService relays;
    private Path offsets;
    private volatile boolean relaying = true;

    OutboxMechanism(Topology topology) {
        super(topology);
    }

    @Override
    public String describe() {
        return "as choreography, but each event an outbox row in the step's commit, relayed by Debezium embedded "
                + "(one engine per database, pgoutput, woken by the commit) (3 CDC + Kafka hops, 4 local commits)";
    }

    @Override
    protected void startPublishing() throws Exception {
        offsets = Files.createTempDirectory("txlab-mechanism-floor-offsets");
        relays = Executors.newFixedThreadPool(CLUSTERS.size(), r -> new Thread(r, "outbox-relay"));
        for (String cluster : CLUSTERS) {
            db.prepareOutbox(cluster, PUBLICATION, SLOT);
            RelayPause pause = new RelayPause(POLL_INTERVAL, IDLE_PAUSE);
            pauses.put(cluster, pause);
            String name = topic("relay-" + cluster).replace('.', '-');
            QuietPostgresConnector.register(name, pause);
            KafkaProducer<String, String> producer = producers.get(cluster);
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
                    .create(ChangeEventFormat.of(Connect.class))
                    .using(engineProperties(name, cluster))
                    .notifying((records, committer) -> {
                        List<Future<?>> sends = new ArrayList<>();
                        for (RecordChangeEvent<SourceRecord> change : records) {
                            SourceRecord r = change.record();
                            if (r.value() != null) { // heartbeats and tombstones carry no event
                                sends.add(producer.send(new ProducerRecord<>(r.topic(), String.valueOf(r.key()),
                                        r.value().toString())));
                            }
                        }
                        for (Future<?> send : sends) {
                            try {
                                send.get(10, TimeUnit.SECONDS);
                            } catch (Exception e) {
                                // nothing of this batch is marked processed: the engine stops and the run fails
                                throw new IllegalStateException("Kafka did not acknowledge relayed outbox events", e);
                            }
                        }
                        if (!sends.isEmpty()) {
                            pause.relayed();
                        }
                        for (RecordChangeEvent<SourceRecord> change : records) {
                            committer.markProcessed(change);
                        }
                        committer.markBatchFinished();
                    })
                    .using((success, message, error) -> {
                        if (relaying) {
                            System.err.println("mechanism-floor: the outbox relay of " + cluster + " stopped: " + message
                                    + (error != null ? " (" + error + ")" : ""));
                        }
                    })
                    .build();
            engines.add(engine);
            relays.execute(engine);
        }
    }

    /** The services' relay settings ({@link DebeziumRelaySettings}), offsets flushed to a file. */
    private Properties engineProperties(String name, String cluster) {
        RelayDatabase database = new RelayDatabase(topology.jdbcUrl(cluster, MechanismDatabases.DATABASE),
                PostgresCluster.APP_USER, PostgresCluster.APP_PASSWORD);
        Properties p = DebeziumRelaySettings.of(name, database, SLOT, PUBLICATION, POLL_INTERVAL, QUEUE_WAIT, name);
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", offsets.resolve(cluster + ".offsets").toString());
        p.setProperty("offset.flush.interval.ms", Long.toString(OFFSET_FLUSH.toMillis()));
        return p;
    }

    /** The event is a row of the step's transaction, routed to its topic by {@code aggregatetype}. */
    @Override
    protected void publishing(String cluster, String event, Connection c, MechanismDatabases.Order o) throws Exception {
        MechanismDatabases.outbox(c, topic(event), event, o);
    }

    /** After the commit: the relay of that database reads the WAL now instead of after its pause. */
    @Override
    protected void published(String cluster, String event, MechanismDatabases.Order o) {
        pauses.get(cluster).wake();
    }

    @Override
    protected void stopPublishing() {
        relaying = false;
        for (DebeziumEngine<RecordChangeEvent<SourceRecord>> engine : engines) {
            try {
                engine.close();
            } catch (IOException e) {
                System.err.println("mechanism-floor: an outbox relay did not close: " + e.getMessage());
            }
        }
        if (relays != null) {
            relays.shutdown();
            try {
                if (!relays.awaitTermination(30, TimeUnit.SECONDS)) {
                    System.err.println("mechanism-floor: an outbox relay was still running after 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (offsets != null) {
            try (var files = Files.walk(offsets)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                System.err.println("mechanism-floor: could not delete the relays' offset files: " + e.getMessage());
            }
        }
    }
}

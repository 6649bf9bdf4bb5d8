package io.txlab.platform.outbox;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.Topics;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.tracing.OutboxTraceContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Relays outbox rows to Kafka with Debezium embedded, inside the service: the PostgreSQL connector decodes the WAL
 * ({@code pgoutput}, a publication carrying only INSERTs on {@code outbox}), the outbox EventRouter turns each row
 * into a record for the topic named by {@code aggregatetype}, keyed by {@code aggregateid}, with {@code type} in the
 * {@code eventType} header and {@code payload} as the value - the same record the direct publisher sends.
 *
 * <p>At least once: a record is marked processed only after Kafka acknowledged it, and Debezium's offset (stored in
 * table {@code txlab_outbox_offsets} of the service's own database by {@code debezium-storage-jdbc}) only covers
 * processed records; the slot is confirmed up to the stored offset. A SIGKILL replays what came after the last
 * stored offset: duplicates, which consumers drop in their inbox.
 *
 * <p>The slot and the publication are created before the engine starts (and before the service takes requests, as
 * {@link #prepare()} runs at bean initialization), so a row committed while the engine is still starting - or
 * stopped - is in the slot and will be relayed.
 */
public class DebeziumOutboxRelay implements OutboxRelay {

    /** Reached in the relay after reading a row and before sending it. */
    public static final String CRASH_AFTER_COMMIT_BEFORE_RELAY = CrashPointNames.OUTBOX_AFTER_COMMIT_BEFORE_RELAY;
    static final String OFFSETS_TABLE = "txlab_outbox_offsets";
    /** Header of the routed change event carrying the row's {@code trace_headers}; not copied to Kafka. */
    static final String TRACE_HEADERS_HEADER = "txlab-trace-headers";
    /** Header of the routed change event carrying the row's {@code created_at}; not copied to Kafka. */
    static final String CREATED_AT_HEADER = "txlab-created-at";

    private static final Logger log = LoggerFactory.getLogger(DebeziumOutboxRelay.class);

    private final RelayDatabase database;
    private final OutboxProperties props;
    private final String slotName;
    private final String engineName;
    private final KafkaTemplate<Object, Object> kafka;
    private final CrashPoints crashPoints;
    private final OutboxTraceContext trace;
    private final RelayLag lag;
    /** The streaming thread's pause, woken by this service's outbox commits; null: Debezium's constant pause. */
    private final RelayPause pause;
    private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "outbox-debezium-restart"));
    private ExecutorService runner;
    /** Marks relayed rows published off the engine's thread (see {@link #markPublished}). */
    private ExecutorService marker;
    /** Confined to the marker thread; opened on first use, dropped after a failure. */
    private Connection markConnection;
    /** Relayed ids not yet marked; the marker takes all of them at once (one UPDATE for many batches under load). */
    private final ConcurrentLinkedQueue<UUID> unmarked = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean markScheduled = new AtomicBoolean();
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile boolean running;
    /** Set once the replication slot was found missing: the relay stopped rather than stream from a new slot. */
    private volatile boolean slotLost;

    public DebeziumOutboxRelay(RelayDatabase database, OutboxProperties props, String slotName,
                               KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints,
                               OutboxTraceContext trace, RelayLag lag, RelayPause pause) {
        this.database = database;
        this.props = props;
        this.slotName = slotName;
        this.engineName = slotName.replace('_', '-');
        this.kafka = kafka;
        this.crashPoints = crashPoints;
        this.trace = trace;
        this.lag = lag;
        this.pause = pause;
    }

    /** With Debezium's constant pause of {@code poll.interval.ms} after empty reads. */
    public DebeziumOutboxRelay(RelayDatabase database, OutboxProperties props, String slotName,
                               KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints,
                               OutboxTraceContext trace, RelayLag lag) {
        this(database, props, slotName, kafka, crashPoints, trace, lag, null);
    }

    /** Without tracing and metrics: relayed records start no span and record no lag. */
    public DebeziumOutboxRelay(RelayDatabase database, OutboxProperties props, String slotName,
                               KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints) {
        this(database, props, slotName, kafka, crashPoints, OutboxTraceContext.noop(), RelayLag.none());
    }

    /**
     * Creates the INSERT-only publication and the replication slot if they do not exist - but not a slot this engine
     * has streamed from before (its offsets are stored): that one is lost, and a new slot would skip the rows
     * committed since. The relay then stays stopped ({@link #slotLost()}).
     */
    public void prepare() {
        if (!slotExists() && hasStoredOffsets()) {
            markSlotLost();
            return;
        }
        try (Connection c = connect()) {
            boolean publication;
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
                s.setString(1, props.publicationName());
                publication = s.executeQuery().next();
            }
            if (!publication) {
                try (var s = c.createStatement()) {
                    s.execute("CREATE PUBLICATION " + props.publicationName()
                            + " FOR TABLE outbox WITH (publish = 'insert')");
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT pg_create_logical_replication_slot(?, 'pgoutput')
                    WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = ?)""")) {
                s.setString(1, slotName);
                s.setString(2, slotName);
                s.executeQuery().close();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare publication/slot " + slotName + " for the outbox relay", e);
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        runner = Executors.newSingleThreadExecutor(r -> daemon(r, "outbox-debezium"));
        marker = Executors.newSingleThreadExecutor(r -> daemon(r, "outbox-debezium-mark"));
        launch();
    }

    private synchronized void launch() {
        if (!running) {
            return;
        }
        if (slotLost || !slotExists()) {
            // Debezium would create a new slot at the current WAL position and stream from there: every row committed
            // since the old slot's position would be skipped without a trace. Stop and say so instead; the rows stay
            // unpublished in the outbox (the lag gauge grows) for the polling relay to send.
            markSlotLost();
            running = false;
            return;
        }
        DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine
                .create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .notifying(this::relay)
                .using((success, message, error) -> {
                    if (running) {
                        log.warn("outbox relay engine stopped ({}); restarting in 2 s", message, error);
                        restarts.schedule(this::launch, 2, TimeUnit.SECONDS);
                    }
                })
                .build();
        engine = created;
        runner.execute(created);
    }

    private void markSlotLost() {
        if (!slotLost) {
            log.error("outbox relay STOPPED: replication slot {} is gone (dropped, or invalidated by"
                    + " max_slot_wal_keep_size); streaming from a new slot would skip every outbox row committed since"
                    + " the old one. Unpublished rows stay in the outbox: relay them with TXLAB_OUTBOX_RELAY=polling,"
                    + " then delete this engine's offsets from {} and restart to go back to Debezium", slotName,
                    OFFSETS_TABLE);
        }
        slotLost = true;
    }

    /** Whether the offset store holds a position of this engine, i.e. it streamed from a slot before. */
    private boolean hasStoredOffsets() {
        try (Connection c = connect();
             PreparedStatement s = c.prepareStatement(
                     "SELECT 1 FROM " + OFFSETS_TABLE + " WHERE offset_key LIKE ? LIMIT 1")) {
            s.setString(1, "%\"" + engineName + "\"%");
            return s.executeQuery().next();
        } catch (SQLException e) {
            // No offsets table yet: this engine never stored a position.
            return false;
        }
    }

    /** Whether the relay stopped because its replication slot is gone (gauge {@code txlab.outbox.slot.lost}). */
    public boolean slotLost() {
        return slotLost;
    }

    /** Whether the slot exists and is usable (PostgreSQL 13+: not invalidated for exceeding the WAL it may keep). */
    private boolean slotExists() {
        try (Connection c = connect();
             PreparedStatement s = c.prepareStatement("""
                     SELECT 1 FROM pg_replication_slots
                     WHERE slot_name = ? AND coalesce(wal_status, '') <> 'lost'""")) {
            s.setString(1, slotName);
            return s.executeQuery().next();
        } catch (SQLException e) {
            // The database is unreachable: not a lost slot. The engine's own failure and restart cover this case.
            log.warn("outbox relay: cannot check replication slot {}: {}", slotName, e.getMessage());
            return true;
        }
    }

    Properties engineProperties() {
        if (pause != null) {
            QuietPostgresConnector.register(engineName, pause);
        }
        Properties p = DebeziumRelaySettings.of(engineName, database, slotName, props.publicationName(),
                props.pollInterval(), props.queueWait(), pause != null ? engineName : null);
        // Keeps the slot's confirmed position moving while the outbox is idle (WAL is not retained forever).
        p.setProperty("heartbeat.interval.ms", "10000");
        p.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        p.setProperty("offset.storage.jdbc.connection.url", database.jdbcUrl());
        p.setProperty("offset.storage.jdbc.connection.user", database.username());
        p.setProperty("offset.storage.jdbc.connection.password", database.password());
        p.setProperty("offset.storage.jdbc.offset.table.name", OFFSETS_TABLE);
        p.setProperty("offset.flush.interval.ms", Long.toString(props.offsetFlushInterval().toMillis()));
        // trace_headers (V0_4) rides along as a header of the change event; the relay restores the trace from it.
        p.setProperty("transforms.outbox.table.fields.additional.placement",
                "type:header:" + Topics.EVENT_TYPE_HEADER + ",trace_headers:header:" + TRACE_HEADERS_HEADER
                        + ",created_at:header:" + CREATED_AT_HEADER);
        return p;
    }

    private void relay(List<RecordChangeEvent<SourceRecord>> records,
                       DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<CompletableFuture<?>> sends = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> change : records) {
            SourceRecord record = change.record();
            Header type = record.headers().lastWithName(Topics.EVENT_TYPE_HEADER);
            if (type == null || record.value() == null) {
                continue; // heartbeats and anything else that is not an outbox row
            }
            crashPoints.reach(CRASH_AFTER_COMMIT_BEFORE_RELAY);
            String key = String.valueOf(record.key());
            String eventType = type.value().toString();
            ProducerRecord<Object, Object> out = new ProducerRecord<>(record.topic(), key, record.value().toString());
            out.headers().add(Topics.EVENT_TYPE_HEADER, eventType.getBytes(StandardCharsets.UTF_8));
            Header traceHeaders = record.headers().lastWithName(TRACE_HEADERS_HEADER);
            String stored = traceHeaders == null || traceHeaders.value() == null ? null : traceHeaders.value().toString();
            trace.relay(stored, "debezium", key, eventType, () -> sends.add(kafka.send(out)));
            Header id = record.headers().lastWithName("id");
            if (id != null) {
                ids.add(UUID.fromString(id.value().toString()));
            }
            created.add(createdAt(record.headers().lastWithName(CREATED_AT_HEADER)));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(props.offsetFlushInterval().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Nothing of this batch is marked processed: the engine stops and the restart relays it again.
            throw new IllegalStateException("Kafka did not acknowledge relayed outbox events", e);
        }
        if (pause != null && !ids.isEmpty()) {
            pause.relayed();
        }
        Instant acknowledged = Instant.now();
        created.forEach(c -> lag.relayed(c, acknowledged));
        for (RecordChangeEvent<SourceRecord> change : records) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
        if (!ids.isEmpty()) {
            unmarked.addAll(ids);
            if (markScheduled.compareAndSet(false, true)) {
                marker.execute(this::markPending);
            }
        }
    }

    /** On the marker thread: every id relayed since the last run, in one UPDATE. */
    private void markPending() {
        markScheduled.set(false);
        List<UUID> ids = new ArrayList<>();
        for (UUID id; (id = unmarked.poll()) != null; ) {
            ids.add(id);
        }
        if (!ids.isEmpty()) {
            markPublished(ids);
        }
    }

    /** {@code created_at} as the connector renders a timestamptz (ISO-8601 text); null if absent or unreadable. */
    private static Instant createdAt(Header header) {
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return Instant.parse(header.value().toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * For the lag gauge and the janitor only; delivery does not depend on it (the offset does that). It runs on its
     * own thread over one kept connection: done inline with a connection per batch, it held the engine's thread for a
     * PostgreSQL connection setup after every batch, which the next event waited for.
     */
    private void markPublished(List<UUID> ids) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (markConnection == null) {
                    markConnection = connect();
                    // bookkeeping only (the offset carries delivery): a mark lost in a crash costs a lag gauge that
                    // overstates and a row the janitor keeps longer, not an event, so it need not wait for the WAL flush
                    try (var st = markConnection.createStatement()) {
                        st.execute("SET synchronous_commit = off");
                    }
                }
                try (PreparedStatement s = markConnection.prepareStatement(
                        "UPDATE outbox SET published_at = now() WHERE id = ANY (?) AND published_at IS NULL")) {
                    s.setArray(1, markConnection.createArrayOf("uuid", ids.toArray()));
                    s.executeUpdate();
                }
                return;
            } catch (SQLException e) {
                closeMarkConnection(); // a kept connection may have died with its server: the retry opens a new one
                if (attempt == 2) {
                    log.warn("could not mark {} relayed outbox rows as published (lag gauge overstates)", ids.size(), e);
                    return;
                }
            }
        }
    }

    private void closeMarkConnection() {
        if (markConnection != null) {
            try {
                markConnection.close();
            } catch (SQLException e) {
                log.debug("closing the outbox marker connection failed", e);
            }
            markConnection = null;
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        DebeziumEngine<?> current = engine;
        engine = null; // a second stop() must not close the engine again (Debezium throws on that)
        if (current != null) {
            try {
                current.close();
            } catch (Exception e) {
                log.warn("closing the outbox relay engine failed", e);
            }
        }
        shutdown(runner);
        if (marker != null && !marker.isShutdown()) {
            marker.execute(this::closeMarkConnection);
            shutdown(marker);
        }
    }

    private static void shutdown(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

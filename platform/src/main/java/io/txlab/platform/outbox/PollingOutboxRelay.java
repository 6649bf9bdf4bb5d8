package io.txlab.platform.outbox;

import io.txlab.contracts.Topics;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.messaging.OutboxWriter;
import io.txlab.platform.tracing.OutboxTraceContext;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The alternative relay: a loop that takes the oldest unpublished rows with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED}, sends them, waits for Kafka's acknowledgements and marks them published
 * in the same transaction. Between batches it blocks on {@code LISTEN txlab_outbox} (the writer NOTIFYs at commit)
 * for at most {@code pollingInterval}, so a new row is relayed within a few ms without a tight polling loop.
 *
 * <p>At least once: a crash after the send and before the commit leaves the rows unpublished and they are sent
 * again. SKIP LOCKED lets several instances of a service relay side by side; per-order ordering holds because one
 * order's events are caused one after another, each only after the previous one was consumed.
 */
public class PollingOutboxRelay implements OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(PollingOutboxRelay.class);

    private final RelayDatabase database;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final OutboxProperties props;
    private final KafkaTemplate<Object, Object> kafka;
    private final CrashPoints crashPoints;
    private final OutboxTraceContext trace;
    private final RelayLag lag;
    private volatile boolean running;
    private Thread loop;

    public PollingOutboxRelay(RelayDatabase database, DataSource dataSource, OutboxProperties props,
                              KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints,
                              OutboxTraceContext trace, RelayLag lag) {
        this.database = database;
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        this.props = props;
        this.kafka = kafka;
        this.crashPoints = crashPoints;
        this.trace = trace;
        this.lag = lag;
    }

    /** Without tracing and metrics: relayed rows start no span and record no lag. */
    public PollingOutboxRelay(RelayDatabase database, DataSource dataSource, OutboxProperties props,
                              KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints) {
        this(database, dataSource, props, kafka, crashPoints, OutboxTraceContext.noop(), RelayLag.none());
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        loop = new Thread(this::run, "outbox-polling");
        loop.setDaemon(true);
        loop.start();
    }

    private void run() {
        Connection listener = null;
        while (running) {
            try {
                if (listener == null) {
                    listener = listen();
                }
                int relayed = relayBatch();
                if (relayed < props.batchSize()) {
                    // Returns at the first NOTIFY, or after pollingInterval at the latest (a missed notification).
                    listener.unwrap(PGConnection.class).getNotifications((int) props.pollingInterval().toMillis());
                }
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                log.warn("outbox polling relay failed; retrying in {}", props.pollingInterval(), e);
                close(listener);
                listener = null;
                pause();
            }
        }
        close(listener);
    }

    /** @return how many rows this batch relayed */
    int relayBatch() {
        Integer relayed = tx.execute(status -> {
            List<Row> rows = jdbc.sql("""
                            SELECT id, aggregatetype, aggregateid, type, payload, trace_headers, created_at FROM outbox
                            WHERE published_at IS NULL ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                    .param(props.batchSize())
                    .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getTimestamp(7).toInstant()))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            crashPoints.reach(DebeziumOutboxRelay.CRASH_AFTER_COMMIT_BEFORE_RELAY);
            List<CompletableFuture<?>> sent = new ArrayList<>();
            for (Row row : rows) {
                ProducerRecord<Object, Object> out = new ProducerRecord<>(row.topic(), row.key(), row.payload());
                out.headers().add(Topics.EVENT_TYPE_HEADER, row.type().getBytes(StandardCharsets.UTF_8));
                trace.relay(row.traceHeaders(), "polling", row.key(), row.type(), () -> sent.add(kafka.send(out)));
            }
            CompletableFuture<?>[] sends = sent.toArray(CompletableFuture[]::new);
            try {
                CompletableFuture.allOf(sends).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge relayed outbox events", e);
            }
            Instant acknowledged = Instant.now();
            rows.forEach(row -> lag.relayed(row.createdAt(), acknowledged));
            jdbc.sql("UPDATE outbox SET published_at = now() WHERE id IN (:ids)")
                    .param("ids", rows.stream().map(Row::id).toList())
                    .update();
            return rows.size();
        });
        return relayed == null ? 0 : relayed;
    }

    private Connection listen() throws SQLException {
        Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + OutboxWriter.NOTIFY_CHANNEL);
        }
        return c;
    }

    private void pause() {
        try {
            Thread.sleep(props.pollingInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken LISTEN connection; a new one is opened
            }
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private record Row(UUID id, String topic, String key, String type, String payload, String traceHeaders,
                       Instant createdAt) {
    }
}

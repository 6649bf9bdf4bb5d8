package io.txlab.platform.outbox;

import io.debezium.config.Configuration;
import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.connector.postgresql.PostgresStreamingChangeEventSource;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import io.debezium.pipeline.source.spi.StreamingChangeEventSource;
import io.debezium.util.DelayStrategy;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's PostgreSQL connector with two changes: the engine's wait on the connector's change-event queue is
 * {@value #QUEUE_WAIT_PROPERTY} instead of {@code poll.interval.ms} (adr/0016), and the streaming thread's pause after
 * empty reads is the {@link RelayPause} registered under {@value #PAUSE_PROPERTY}, which this service's outbox commits
 * wake (adr/0022).
 *
 * <p>In Debezium 3.5 {@code poll.interval.ms} paces two loops: the streaming thread's sleep after an empty read of the
 * replication stream (what a relayed hop waits) and the engine's {@code ChangeEventQueue.poll()} timeout. The
 * second is a condition wait that {@code enqueue} signals as soon as {@code max.batch.size} records are queued (one,
 * for the relay), so its length adds nothing to a hop; but each wait ends in a busy loop for its last millisecond
 * ({@code Threads.Timer} counts whole milliseconds, and the loop only sleeps while at least one is left). At the
 * relay's 10 ms interval that loop alone keeps ~10 % of a core busy per idle relay. A long queue wait keeps the
 * short streaming pause and drops the spin to ~1 ms per wait.
 *
 * <p>The queue takes its interval in its constructor and exposes no setter, so the task sets the final field after
 * {@link PostgresConnectorTask#start(Configuration)} built it, before the engine's first poll. If a Debezium upgrade
 * renames the field, {@link #tune} fails and the relay logs it and runs with the stock wait: slower to idle, not
 * wrong. {@code QuietPostgresConnectorTest} fails on such an upgrade.
 */
public class QuietPostgresConnector extends PostgresConnector {

    /** Connector property: how long the engine's poll waits on an empty queue, in ms. */
    public static final String QUEUE_WAIT_PROPERTY = "txlab.queue.wait.ms";

    /** Connector property: the key under which {@link #register} put the streaming thread's {@link RelayPause}. */
    public static final String PAUSE_PROPERTY = "txlab.streaming.pause";

    private static final Logger log = LoggerFactory.getLogger(QuietPostgresConnector.class);
    /** The engine builds the task from a class name, so the relay hands its pause over here, by key. */
    private static final Map<String, RelayPause> PAUSES = new ConcurrentHashMap<>();
    /** How long the task waits for the coordinator to build its streaming source before giving up on the pause. */
    private static final long STREAMING_SOURCE_WAIT_MS = 120_000;

    /** Makes {@code pause} the streaming pause of every task started with {@value #PAUSE_PROPERTY} = {@code key}. */
    public static void register(String key, RelayPause pause) {
        PAUSES.put(key, pause);
    }

    @Override
    public Class<? extends org.apache.kafka.connect.connector.Task> taskClass() {
        return Task.class;
    }

    /** The stock task, then {@link #tune} on the queue it built. */
    public static class Task extends PostgresConnectorTask {

        @Override
        public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(Configuration config) {
            ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> coordinator = super.start(config);
            long waitMs = config.getLong(QUEUE_WAIT_PROPERTY, 0L);
            if (waitMs > 0) {
                try {
                    Field queueField = PostgresConnectorTask.class.getDeclaredField("queue");
                    queueField.setAccessible(true);
                    tune((ChangeEventQueue<?>) queueField.get(this), Duration.ofMillis(waitMs));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    log.warn("cannot lengthen the change-event queue's wait to {} ms (Debezium changed?); the relay "
                            + "runs with Debezium's own wait of poll.interval.ms", waitMs, e);
                }
            }
            RelayPause pause = PAUSES.get(config.getString(PAUSE_PROPERTY, ""));
            if (pause != null) {
                installWhenStreaming(coordinator, pause);
            }
            return coordinator;
        }

        /**
         * The coordinator builds its streaming source on its own thread after {@code start} returned, and the source
         * then connects its replication stream before its loop first pauses: a short-lived thread waits for the
         * source and swaps the pause in, normally well before that first pause. Until then, or if the swap fails, the
         * loop pauses Debezium's constant {@code poll.interval.ms}: slower to idle, not wrong.
         */
        private void installWhenStreaming(ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> coordinator,
                                          RelayPause pause) {
            Thread installer = new Thread(() -> {
                long deadline = System.currentTimeMillis() + STREAMING_SOURCE_WAIT_MS;
                try {
                    Optional<StreamingChangeEventSource<PostgresPartition, PostgresOffsetContext>> source;
                    while ((source = coordinator.getStreamingSource()).isEmpty()) {
                        if (System.currentTimeMillis() > deadline) {
                            log.warn("no streaming source after {} s; the relay pauses poll.interval.ms after empty"
                                    + " reads", STREAMING_SOURCE_WAIT_MS / 1000);
                            return;
                        }
                        Thread.sleep(1);
                    }
                    install(source.get(), pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    log.warn("cannot install the woken streaming pause (Debezium changed?); the relay pauses"
                            + " poll.interval.ms after empty reads", e);
                }
            }, "outbox-debezium-pause-installer");
            installer.setDaemon(true);
            installer.start();
        }
    }

    /** Replaces the streaming source's pause after empty reads; throws if this Debezium has no such field. */
    static void install(StreamingChangeEventSource<?, ?> source, DelayStrategy pause) throws ReflectiveOperationException {
        if (!(source instanceof PostgresStreamingChangeEventSource)) {
            throw new NoSuchFieldException("pauseNoMessage (the streaming source is a " + source.getClass().getName() + ")");
        }
        Field field = PostgresStreamingChangeEventSource.class.getDeclaredField("pauseNoMessage");
        field.setAccessible(true);
        field.set(source, pause);
    }

    /** Sets how long {@code queue.poll()} waits for a batch; throws if this Debezium has no such field. */
    static void tune(ChangeEventQueue<?> queue, Duration wait) throws ReflectiveOperationException {
        Field interval = ChangeEventQueue.class.getDeclaredField("pollInterval");
        interval.setAccessible(true);
        interval.set(queue, wait);
    }
}

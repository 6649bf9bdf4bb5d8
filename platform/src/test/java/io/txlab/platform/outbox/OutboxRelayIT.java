package io.txlab.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.txlab.contracts.Flow;
import io.txlab.contracts.SagaEvent;
import io.txlab.contracts.Topics;
import io.txlab.contracts.order.OrderLine;
import io.txlab.contracts.order.OrderPlaced;
import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.messaging.OutboxWriter;
import io.txlab.platform.messaging.PlatformDatabase;
import io.txlab.platform.messaging.SagaEventJson;
import io.txlab.platform.messaging.SagaEventSerializer;
import io.txlab.platform.tracing.OutboxTraceContext;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Both outbox relays against a real PostgreSQL (logical decoding), a real Kafka broker and a real Debezium engine:
 * a committed row arrives on its topic with the {@code eventType} header and the writer's JSON; a relay stopped
 * while rows are written relays them after a restart from its stored offset; the commit-to-Kafka hop is measured.
 */
class OutboxRelayIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static KafkaTemplate<Object, Object> kafka;
    private static KafkaConsumer<String, String> consumer;
    private static final Map<String, Received> received = new ConcurrentHashMap<>();
    private static final AtomicBoolean consuming = new AtomicBoolean(true);
    private static Thread consumerThread;

    private Database database;
    private HikariDataSource dataSource;
    private TransactionTemplate tx;
    private OutboxWriter writer;
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final List<String> slots = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    record Received(String eventType, String value, long nanos) {
    }

    @BeforeAll
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void startKafka() throws InterruptedException {
        String bootstrap = TestInfra.kafka().bootstrapServers();
        kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 0),
                (Serializer) new StringSerializer(), new SagaEventSerializer()));
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50), new StringDeserializer(), new StringDeserializer());
        // Make sure the topic exists, then read it from its current end.
        kafka.send(Topics.ORDER_EVENTS, "warm-up", "{}").join();
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.ORDER_EVENTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        consumerThread = new Thread(() -> {
            while (consuming.get()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    var type = r.headers().lastHeader(Topics.EVENT_TYPE_HEADER);
                    received.putIfAbsent(r.key(), new Received(
                            type == null ? null : new String(type.value(), StandardCharsets.UTF_8), r.value(),
                            System.nanoTime()));
                }
            }
            consumer.close();
        }, "outbox-it-consumer");
        consumerThread.start();
    }

    @AfterAll
    static void stopKafka() throws InterruptedException {
        consuming.set(false);
        consumerThread.join(5_000);
    }

    private void newDatabase(String prefix) {
        database = PlatformDatabase.fresh(prefix);
        dataSource = PlatformDatabase.dataSource(database);
        tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        writer = new OutboxWriter(JdbcClient.create(dataSource), true);
    }

    @AfterEach
    void cleanUp() {
        relays.forEach(OutboxRelay::stop);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        for (String slot : slots) {
            PlatformDatabase.await(Duration.ofSeconds(10), "slot " + slot + " released", () -> jdbc
                    .sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active").param(slot)
                    .query(Integer.class).single() == 0);
            jdbc.sql("SELECT pg_drop_replication_slot(?)").param(slot).query().singleValue();
        }
        dataSource.close();
    }

    private OutboxProperties props(OutboxProperties.Relay relay, Duration pollInterval) {
        return new OutboxProperties(relay, null, "txlab_outbox", pollInterval, pollInterval, Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofMillis(200), 100, Duration.ofHours(1), Duration.ofMinutes(1));
    }

    private DebeziumOutboxRelay debezium(String slot, Duration pollInterval) {
        return debezium(slot, pollInterval, null);
    }

    private DebeziumOutboxRelay debezium(String slot, Duration pollInterval, RelayPause pause) {
        RelayDatabase db = new RelayDatabase(database.jdbcUrl(), database.username(), database.password());
        DebeziumOutboxRelay relay = new DebeziumOutboxRelay(db, props(OutboxProperties.Relay.DEBEZIUM, pollInterval),
                slot, kafka, CrashPoints.disarmed(), OutboxTraceContext.noop(), RelayLag.register(meters, "debezium"),
                pause);
        relay.prepare();
        if (!slots.contains(slot)) {
            slots.add(slot);
        }
        relays.add(relay);
        return relay;
    }

    private PollingOutboxRelay polling() {
        RelayDatabase db = new RelayDatabase(database.jdbcUrl(), database.username(), database.password());
        PollingOutboxRelay relay = new PollingOutboxRelay(db, dataSource,
                props(OutboxProperties.Relay.POLLING, Duration.ofMillis(5)), kafka, CrashPoints.disarmed(),
                OutboxTraceContext.noop(), RelayLag.register(meters, "polling"));
        relays.add(relay);
        return relay;
    }

    /** Commits one OrderPlaced in the outbox; returns it and the commit time. */
    private Written write() {
        SagaEvent event = OrderPlaced.of(UUID.randomUUID(), Flow.OUTBOX, "C-0001",
                List.of(new OrderLine("SKU-0001", 1, new BigDecimal("10.00"))), new BigDecimal("10.00"));
        tx.executeWithoutResult(s -> writer.write(event));
        return new Written(event, System.nanoTime());
    }

    record Written(SagaEvent event, long committedNanos) {
        String key() {
            return event.orderId().toString();
        }
    }

    private Received awaitReceived(Written written) {
        PlatformDatabase.await(DEADLINE, "event " + written.key() + " on Kafka",
                () -> received.containsKey(written.key()));
        return received.get(written.key());
    }

    @Test
    void debeziumRelaysACommittedRowWithItsTypeHeaderAndResumesAfterARestart() throws InterruptedException {
        newDatabase("outbox_dbz");
        DebeziumOutboxRelay relay = debezium("txlab_it_dbz_outbox", Duration.ofMillis(5));
        relay.start();

        Written first = write();
        Received got = awaitReceived(first);
        assertThat(got.eventType()).isEqualTo("OrderPlaced");
        assertThat(got.value()).isEqualTo(SagaEventJson.write(first.event()));
        PlatformDatabase.await(DEADLINE, "row marked published", () -> JdbcClient.create(dataSource)
                .sql("SELECT published_at IS NOT NULL FROM outbox WHERE id = ?").param(first.event().eventId())
                .query(Boolean.class).single());

        // Stopped relay: rows committed meanwhile stay in the slot and come out after the restart.
        relay.stop();
        List<Written> whileStopped = List.of(write(), write(), write());
        Thread.sleep(200);
        DebeziumOutboxRelay restarted = debezium("txlab_it_dbz_outbox", Duration.ofMillis(5));
        restarted.start();
        whileStopped.forEach(this::awaitReceived);
        PlatformDatabase.await(DEADLINE, "relay lag recorded for the four relayed rows",
                () -> relayLag("debezium").count() >= 4);
        assertThat(relayLag("debezium").max(TimeUnit.MILLISECONDS))
                .as("rows written while the relay was stopped waited for the restart").isGreaterThanOrEqualTo(200);
        assertThat(JdbcClient.create(dataSource).sql("SELECT count(*) FROM " + DebeziumOutboxRelay.OFFSETS_TABLE)
                .query(Integer.class).single()).as("offsets stored in the service's database").isPositive();

        report("debezium poll.interval.ms=5", hops(40));
    }

    @Test
    void anIdleRelaySleepsItsIdlePauseAndTheWritersCommitWakesIt() throws InterruptedException {
        newDatabase("outbox_dbz_pause");
        RelayPause pause = new RelayPause(Duration.ofMillis(10), Duration.ofSeconds(5));
        writer = new OutboxWriter(JdbcClient.create(dataSource), false, OutboxTraceContext.noop(), pause::wake);
        debezium("txlab_it_dbz_pause", Duration.ofMillis(10), pause).start();
        awaitReceived(write());
        PlatformDatabase.await(DEADLINE, "the streaming thread pausing through the woken pause",
                () -> pause.pauses() > 0);

        // Idle past the hot window: the thread sleeps the 5 s idle pause instead of 10 ms at a time.
        Thread.sleep(RelayPause.HOT_WINDOW.toMillis() + 200);
        long before = pause.pauses();
        Thread.sleep(2_500);
        assertThat(pause.pauses() - before).as("pauses in 2.5 s idle (10 ms pauses would be ~200)").isLessThanOrEqualTo(2);

        // Each commit wakes it: no hop waits out the 5 s idle pause (unwoken, five in a row under 1 s is ~0.03 %).
        List<Double> woken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Thread.sleep(RelayPause.HOT_WINDOW.toMillis() + 200);
            Written w = write();
            woken.add((awaitReceived(w).nanos() - w.committedNanos()) / 1e6);
        }
        assertThat(woken).as("commit-to-consumer ms of rows committed while the relay was idle")
                .allSatisfy(ms -> assertThat(ms).isLessThan(1_000.0));

        // A row nobody announced (written by another process) still goes out, after the idle pause at the latest.
        Thread.sleep(RelayPause.HOT_WINDOW.toMillis() + 200);
        UUID unannounced = UUID.randomUUID();
        SagaEvent event = OrderPlaced.of(unannounced, Flow.OUTBOX, "C-0002",
                List.of(new OrderLine("SKU-0002", 1, new BigDecimal("10.00"))), new BigDecimal("10.00"));
        OutboxWriter silent = new OutboxWriter(JdbcClient.create(dataSource), false);
        tx.executeWithoutResult(st -> silent.write(event));
        assertThat(awaitReceived(new Written(event, System.nanoTime())).value()).isEqualTo(SagaEventJson.write(event));
    }

    @Test
    void aLostReplicationSlotStopsTheRelayInsteadOfSkippingRows() throws InterruptedException {
        newDatabase("outbox_dbz_lost");
        DebeziumOutboxRelay relay = debezium("txlab_it_dbz_lost", Duration.ofMillis(5));
        relay.start();
        awaitReceived(write());
        relay.stop();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        // The precondition: this engine streamed from the slot and stored its position (offsets are committed every
        // 200 ms and on close, which on a slow machine may finish after stop() has stopped waiting for it).
        PlatformDatabase.await(DEADLINE, "the engine's offsets stored", () -> jdbc.sql(
                "SELECT count(*) FROM " + DebeziumOutboxRelay.OFFSETS_TABLE + " WHERE offset_key LIKE ?")
                .param("%\"txlab-it-dbz-lost\"%").query(Integer.class).single() > 0);
        PlatformDatabase.await(DEADLINE, "slot released", () -> jdbc.sql(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'txlab_it_dbz_lost' AND active")
                .query(Integer.class).single() == 0);
        jdbc.sql("SELECT pg_drop_replication_slot('txlab_it_dbz_lost')").query().singleValue();
        slots.remove("txlab_it_dbz_lost");

        Written meanwhile = write();
        DebeziumOutboxRelay restarted = debezium("txlab_it_dbz_lost", Duration.ofMillis(5));
        slots.remove("txlab_it_dbz_lost");
        restarted.start();
        Thread.sleep(1_500);

        assertThat(restarted.slotLost()).isTrue();
        assertThat(received).as("nothing streamed from a new slot").doesNotContainKey(meanwhile.key());
        assertThat(jdbc.sql("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'txlab_it_dbz_lost'")
                .query(Integer.class).single()).as("no new slot created").isZero();
        assertThat(jdbc.sql("SELECT published_at IS NULL FROM outbox WHERE id = ?").param(meanwhile.event().eventId())
                .query(Boolean.class).single()).as("the row waits in the outbox, not skipped").isTrue();
    }

    @Test
    void debeziumWithTheDefaultPollIntervalIsSlower() {
        newDatabase("outbox_dbz_default");
        debezium("txlab_it_dbz_default_outbox", Duration.ofMillis(500)).start();
        awaitReceived(write());
        report("debezium poll.interval.ms=500 (default)", hops(10));
    }

    @Test
    void pollingRelayRelaysCommittedRowsAndMarksThemPublished() {
        newDatabase("outbox_polling");
        PollingOutboxRelay relay = polling();
        List<Written> before = List.of(write(), write());
        relay.start();
        before.forEach(w -> assertThat(awaitReceived(w).eventType()).isEqualTo("OrderPlaced"));
        Written later = write();
        assertThat(awaitReceived(later).value()).isEqualTo(SagaEventJson.write(later.event()));
        PlatformDatabase.await(DEADLINE, "nothing left unpublished", () ->
                new OutboxMaintenance(JdbcClient.create(dataSource), Duration.ofHours(1)).lagSeconds() == 0);
        report("polling relay + LISTEN/NOTIFY", hops(40));
    }

    @Test
    void theLagGaugeGrowsWhileNoRelayRunsAndTheRelayLagTimerRecordsTheWait() throws InterruptedException {
        newDatabase("outbox_lag");
        OutboxMaintenance maintenance = new OutboxMaintenance(JdbcClient.create(dataSource), Duration.ofHours(1));
        assertThat(maintenance.lagSeconds()).as("empty outbox").isZero();
        PollingOutboxRelay relay = polling();

        Written waiting = write();
        Thread.sleep(300);
        double stalled = maintenance.lagSeconds();
        assertThat(stalled).as("oldest unrelayed row's age while no relay runs").isGreaterThanOrEqualTo(0.3);
        assertThat(relayLag("polling").count()).isZero();

        relay.start();
        awaitReceived(waiting);
        PlatformDatabase.await(DEADLINE, "nothing left unpublished", () -> maintenance.lagSeconds() == 0);
        assertThat(relayLag("polling").count()).isEqualTo(1);
        assertThat(relayLag("polling").max(TimeUnit.MILLISECONDS)).as("the row's insert-to-ack time")
                .isGreaterThanOrEqualTo(stalled * 1000);
    }

    private Timer relayLag(String relay) {
        return meters.get(RelayLag.TIMER).tag("relay", relay).timer();
    }

    /** Sequential commit-to-consumer latencies in ms (one event at a time, after a warm-up). */
    private List<Double> hops(int n) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Written w = write();
            ms.add((awaitReceived(w).nanos() - w.committedNanos()) / 1e6);
        }
        return ms;
    }

    private static void report(String relay, List<Double> ms) {
        List<Double> sorted = ms.stream().sorted().toList();
        System.out.printf("OUTBOX HOP %s: n=%d p50=%.1f ms p90=%.1f ms max=%.1f ms (commit -> consumer, one at a time)%n",
                relay, sorted.size(), sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.9)),
                sorted.get(sorted.size() - 1));
    }
}

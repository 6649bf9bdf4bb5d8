package io.txlab.loadtests.floor;

import io.txlab.devstack.Topology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Flow choreography's mechanism: the order committed PENDING, then three events, each consumed by the one service
 * that acts on it, in a local transaction with its inbox row, which publishes the next: order placed → inventory
 * reserves → stock reserved → payment charges → payment charged → order confirms. Producers and consumers are
 * configured as the services' (MessagingAutoConfiguration): {@code linger.ms=0}, {@code acks=all} with idempotence,
 * a send waits for its acknowledgement, {@code fetch.max.wait.ms=5000}, offsets committed every second. One consumer
 * per step, where the services run three per listener and some events reach two groups: this is the least the
 * pattern needs.
 *
 * <p>How a step publishes is the one thing {@link OutboxMechanism} changes: {@link #publishing} writes with the step's
 * transaction, {@link #published} runs after its commit. Here nothing is written and the event is sent after the
 * commit, by the publishing side's own producer.
 */
class ChoreographyMechanism extends PlacingMechanism {

    private static final int PARTITIONS = 3;
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);
    /** The events, in the order of the flow. */
    static final String ORDER_PLACED = "order-placed";
    static final String STOCK_RESERVED = "stock-reserved";
    static final String PAYMENT_CHARGED = "payment-charged";

    private final String prefix = "mechanism-floor-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    /** Each publishing side's producer (order, inventory, payment), as each service has its own. */
    protected final Map<String, KafkaProducer<String, String>> producers = new HashMap<>();
    private final List<Thread> listeners = new ArrayList<>();
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
    private final CountDownLatch assigned = new CountDownLatch(3);
    private volatile boolean running = true;

    ChoreographyMechanism(Topology topology) {
        super(topology);
    }

    @Override
    public Set<String> components() {
        return Set.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY, Topology.POSTGRES_PAYMENT, Topology.KAFKA);
    }

    @Override
    public String describe() {
        return "order committed PENDING + event; inventory: inbox + reserve + event; payment: inbox + charge + event; "
                + "order: inbox + confirm (3 Kafka hops, 4 local commits)";
    }

    /** The run's own name for an event's topic. */
    protected String topic(String event) {
        return prefix + event;
    }

    @Override
    public void start(Completion completion) throws Exception {
        startPlacing(completion);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, topology.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic(ORDER_PLACED), PARTITIONS, (short) 1),
                    new NewTopic(topic(STOCK_RESERVED), PARTITIONS, (short) 1),
                    new NewTopic(topic(PAYMENT_CHARGED), PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        for (String cluster : List.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY, Topology.POSTGRES_PAYMENT)) {
            producers.put(cluster, producer());
        }
        startPublishing();
        listen("inventory", Topology.POSTGRES_INVENTORY, ORDER_PLACED, MechanismDatabases::reserve, STOCK_RESERVED);
        listen("payment", Topology.POSTGRES_PAYMENT, STOCK_RESERVED, MechanismDatabases::charge, PAYMENT_CHARGED);
        listen("order", Topology.POSTGRES_ORDER, PAYMENT_CHARGED, MechanismDatabases::confirm, null);
        // every consumer has its partitions before the first order (a rebalance would be counted as latency)
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the floor's consumers got no partitions within 60 s");
        }
    }

    /** After the topics and producers exist, before the consumers: what carries the events besides (none here). */
    protected void startPublishing() throws Exception {
    }

    /** In the transaction of a step on {@code cluster}, before its commit: what publishing {@code event} writes. */
    protected void publishing(String cluster, String event, Connection c, MechanismDatabases.Order o) throws Exception {
    }

    /** After the commit of a step on {@code cluster}: publishes {@code event}, here by sending it and waiting for the ack. */
    protected void published(String cluster, String event, MechanismDatabases.Order o) throws Exception {
        producers.get(cluster).send(new ProducerRecord<>(topic(event), o.id().toString(), o.wire())).get(5, TimeUnit.SECONDS);
    }

    private KafkaProducer<String, String> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topology.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /**
     * A consumer of {@code event} for the step on {@code cluster}: inbox row, the step, what publishing {@code next}
     * writes, commit; then {@code next} published, or the order done when there is no next event.
     */
    private void listen(String group, String cluster, String event, MechanismDatabases.Step step, String next)
            throws SQLException {
        Connection c = db.connect(cluster);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, topology.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, prefix + group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic(event)), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    assigned.countDown();
                }
            }
        });
        consumers.add(consumer);
        Thread t = new Thread(() -> {
            long nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
            try {
                while (running) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(5))) {
                        MechanismDatabases.Order o = MechanismDatabases.Order.fromWire(r.value());
                        try {
                            if (MechanismDatabases.consume(c, r.topic() + "/" + r.partition() + "/" + r.offset(), o,
                                    (tx, order) -> {
                                        step.apply(tx, order);
                                        if (next != null) {
                                            publishing(cluster, next, tx, order);
                                        }
                                    })) {
                                if (next != null) {
                                    published(cluster, next, o);
                                } else {
                                    completion.done(o, null);
                                }
                            }
                        } catch (Exception e) {
                            completion.done(o, e);
                        }
                    }
                    if (System.nanoTime() >= nextCommit) {
                        consumer.commitAsync();
                        nextCommit = System.nanoTime() + COMMIT_EVERY.toNanos();
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }, "listener-" + group);
        t.start();
        listeners.add(t);
    }

    @Override
    protected void placing(Connection c, MechanismDatabases.Order order) throws Exception {
        publishing(Topology.POSTGRES_ORDER, ORDER_PLACED, c, order);
    }

    @Override
    protected void afterPlaced(MechanismDatabases.Order order) throws Exception {
        published(Topology.POSTGRES_ORDER, ORDER_PLACED, order);
    }

    /** Before the producers close: what {@link #startPublishing} started. */
    protected void stopPublishing() {
    }

    @Override
    public void close() {
        running = false;
        stopPlacing();
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread t : listeners) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopPublishing();
        producers.values().forEach(p -> p.close(Duration.ofSeconds(2)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, topology.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic(ORDER_PLACED), topic(STOCK_RESERVED), topic(PAYMENT_CHARGED)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("mechanism-floor: could not delete its topics: " + e.getMessage());
        }
        dropDatabases();
    }
}

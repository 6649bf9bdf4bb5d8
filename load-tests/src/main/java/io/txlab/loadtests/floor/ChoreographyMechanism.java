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
 */
final class ChoreographyMechanism extends PlacingMechanism {

    private static final int PARTITIONS = 3;
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);

    private final String prefix = "mechanism-floor-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    private final List<KafkaProducer<String, String>> producers = new ArrayList<>();
    private final List<Thread> listeners = new ArrayList<>();
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
    private final CountDownLatch assigned = new CountDownLatch(3);
    private volatile boolean running = true;
    private KafkaProducer<String, String> orderProducer;

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

    private String topic(String name) {
        return prefix + name;
    }

    @Override
    public void start(Completion completion) throws Exception {
        startPlacing(completion);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, topology.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic("order-placed"), PARTITIONS, (short) 1),
                    new NewTopic(topic("stock-reserved"), PARTITIONS, (short) 1),
                    new NewTopic(topic("payment-charged"), PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        orderProducer = producer();
        KafkaProducer<String, String> inventoryProducer = producer();
        KafkaProducer<String, String> paymentProducer = producer();
        listen("inventory", topic("order-placed"), db.connect(Topology.POSTGRES_INVENTORY), MechanismDatabases::reserve,
                o -> send(inventoryProducer, topic("stock-reserved"), o));
        listen("payment", topic("stock-reserved"), db.connect(Topology.POSTGRES_PAYMENT), MechanismDatabases::charge,
                o -> send(paymentProducer, topic("payment-charged"), o));
        listen("order", topic("payment-charged"), db.connect(Topology.POSTGRES_ORDER), MechanismDatabases::confirm,
                o -> this.completion.done(o, null));
        // every consumer has its partitions before the first order (a rebalance would be counted as latency)
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the floor's consumers got no partitions within 60 s");
        }
    }

    private KafkaProducer<String, String> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topology.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        KafkaProducer<String, String> p = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
        producers.add(p);
        return p;
    }

    private static void send(KafkaProducer<String, String> producer, String topic, MechanismDatabases.Order o)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, o.id().toString(), o.wire())).get(5, TimeUnit.SECONDS);
    }

    /** What a step does once its transaction has committed: publish the next event, or finish the order. */
    @FunctionalInterface
    private interface AfterCommit {
        void run(MechanismDatabases.Order o) throws Exception;
    }

    private void listen(String group, String topic, Connection c, MechanismDatabases.Step step, AfterCommit after) {
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
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
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
                            if (MechanismDatabases.consume(c, r.topic() + "/" + r.partition() + "/" + r.offset(), o, step)) {
                                after.run(o);
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
    protected void afterPlaced(MechanismDatabases.Order order) throws Exception {
        send(orderProducer, topic("order-placed"), order);
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
        producers.forEach(p -> p.close(Duration.ofSeconds(2)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, topology.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic("order-placed"), topic("stock-reserved"), topic("payment-charged")))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("mechanism-floor: could not delete its topics: " + e.getMessage());
        }
        dropDatabases();
    }
}

package io.txlab.platform.messaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.Topics;
import io.txlab.platform.scheduling.PeriodicTask;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code txlab.dlt.depth} (topic = {@code <saga topic>.DLT}): dead letters not replayed yet, i.e. per partition the end
 * offset minus the offset the replay group {@code txlab-dlt-replay-<saga topic>} committed (or minus the first offset
 * when nothing was replayed). A periodic query refreshes the values, so a scrape never talks to Kafka; every service
 * of the choreography flows reports the same topics, so dashboards take the max per topic.
 */
public class DeadLetterDepth implements AutoCloseable {

    public static final String DEPTH = "txlab.dlt.depth";
    static final List<String> SAGA_TOPICS = List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS,
            Topics.PAYMENT_EVENTS);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDepth.class);

    private final Map<String, Object> adminConfig;
    private final Map<String, AtomicLong> depths = new LinkedHashMap<>();
    private volatile PeriodicTask schedule;
    /** Opened by the first refresh, kept until {@link #close()} or a failed refresh. */
    private Admin admin;

    /** @param adminConfig bootstrap servers and security settings for a Kafka admin client */
    public DeadLetterDepth(Map<String, Object> adminConfig, MeterRegistry registry) {
        this.adminConfig = Map.copyOf(adminConfig);
        for (String topic : SAGA_TOPICS) {
            AtomicLong depth = new AtomicLong();
            depths.put(topic, depth);
            Gauge.builder(DEPTH, depth, AtomicLong::get)
                    .description("dead letters of the saga topic not replayed yet")
                    .tag("topic", Topics.deadLetter(topic))
                    .register(registry);
        }
    }

    /** Refreshes every {@code interval}, first right away, off the caller's thread. */
    public synchronized void start(Duration interval) {
        if (schedule == null) {
            schedule = new PeriodicTask("dlt-depth", Duration.ZERO, interval, this::refreshQuietly);
            schedule.start();
        }
    }

    /**
     * Queries Kafka now and updates the gauges. One admin client serves every refresh (creating one per refresh cost
     * a connection, a metadata round and a thread each time); after a failure it is closed and the next refresh
     * opens a new one.
     */
    public synchronized void refresh() throws Exception {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        try {
            for (String topic : SAGA_TOPICS) {
                depths.get(topic).set(depth(admin, topic));
            }
        } catch (Exception e) {
            closeAdmin();
            throw e;
        }
    }

    private synchronized void closeAdmin() {
        if (admin != null) {
            admin.close(TIMEOUT);
            admin = null;
        }
    }

    private static long depth(Admin admin, String topic) throws Exception {
        String dlt = Topics.deadLetter(topic);
        TopicDescription description = admin.describeTopics(List.of(dlt)).allTopicNames()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(dlt);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        description.partitions().forEach(p -> {
            latest.put(new TopicPartition(dlt, p.partition()), OffsetSpec.latest());
            earliest.put(new TopicPartition(dlt, p.partition()), OffsetSpec.earliest());
        });
        Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetAndMetadata> replayed = admin
                .listConsumerGroupOffsets(DeadLetters.REPLAY_GROUP_PREFIX + topic).partitionsToOffsetAndMetadata()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long depth = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
            long from = starts.get(end.getKey()).offset();
            OffsetAndMetadata committed = replayed.get(end.getKey());
            if (committed != null) {
                from = Math.max(from, committed.offset());
            }
            depth += Math.max(0, end.getValue().offset() - from);
        }
        return depth;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // Keep the last values: a broker hiccup (or topics not created yet) must not stop the schedule.
            log.debug("could not measure the dead-letter depth: {}", e.toString());
        }
    }

    @Override
    public void close() {
        PeriodicTask current = schedule;
        if (current != null) {
            current.stop();
        }
        closeAdmin();
    }
}

package io.txlab.platform.messaging;

import io.txlab.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Reads and replays the dead letters of a saga topic ({@code <topic>.DLT}).
 *
 * <p>Listing reads the whole dead-letter topic without a consumer group. Replaying republishes, to the original
 * topic with the original key, value and {@code eventType}, every dead letter after the ones replayed before
 * (tracked as the committed offsets of group {@code txlab-dlt-replay-<topic>}); a replayed event that was already
 * applied is dropped by the consumer's inbox, one that fails again becomes a dead letter again.
 */
public class DeadLetters {

    /** Header Spring Kafka's DeadLetterPublishingRecoverer puts the failure's message in. */
    public static final String EXCEPTION_MESSAGE_HEADER = "kafka_dlt-exception-message";
    /** The consumer group whose committed offsets mark the dead letters of a topic already replayed. */
    public static final String REPLAY_GROUP_PREFIX = "txlab-dlt-replay-";
    private static final Set<String> SAGA_TOPICS = Set.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS,
            Topics.PAYMENT_EVENTS);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> consumerConfig;
    private final KafkaTemplate<Object, Object> kafka;

    /** @param consumerConfig bootstrap servers and security settings of the service's consumers */
    public DeadLetters(Map<String, Object> consumerConfig, KafkaTemplate<Object, Object> kafka) {
        this.consumerConfig = consumerConfig;
        this.kafka = kafka;
    }

    /** One dead letter; {@code value} as UTF-8 text (it may be the poison bytes themselves). */
    public record DeadLetter(int partition, long offset, String key, Map<String, String> headers, String value) {
    }

    /** @throws IllegalArgumentException if {@code topic} is not a saga topic */
    public List<DeadLetter> list(String topic) {
        List<DeadLetter> letters = new ArrayList<>();
        read(topic, null, record -> letters.add(new DeadLetter(record.partition(), record.offset(), record.key(),
                headers(record), SagaEventJson.utf8(record.value()))));
        return letters;
    }

    /** @return how many dead letters were republished to {@code topic} */
    public int replay(String topic) {
        int[] replayed = {0};
        read(topic, REPLAY_GROUP_PREFIX + topic, record -> {
            ProducerRecord<Object, Object> again = new ProducerRecord<>(topic, record.key(), record.value());
            for (Header header : record.headers()) {
                if (!header.key().startsWith("kafka_dlt-")) {
                    again.headers().add(header.key(), header.value());
                }
            }
            try {
                // Synchronously, before the replay group's offsets are committed: a failed replay is not lost.
                kafka.send(again).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("replaying dead letter " + record.offset() + " failed", e);
            }
            replayed[0]++;
        });
        return replayed[0];
    }

    private void read(String topic, String group, Consumer<ConsumerRecord<String, byte[]>> each) {
        if (!SAGA_TOPICS.contains(topic)) {
            throw new IllegalArgumentException("not a saga topic: " + topic + "; topics: " + SAGA_TOPICS);
        }
        Map<String, Object> config = new LinkedHashMap<>(consumerConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.deadLetter(topic)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = group == null ? Map.of()
                    : consumer.committed(Set.copyOf(partitions));
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata from = committed.get(partition);
                if (from == null) {
                    consumer.seekToBeginning(List.of(partition));
                } else {
                    consumer.seek(partition, from.offset());
                }
            }
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        each.accept(record);
                    }
                }
            }
            if (group != null) {
                Map<TopicPartition, OffsetAndMetadata> done = new LinkedHashMap<>();
                end.forEach((p, offset) -> done.put(p, new OffsetAndMetadata(offset)));
                consumer.commitSync(done);
            }
        }
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), text(header));
        }
        return headers;
    }

    /** Spring Kafka writes the original partition/offset/timestamp as big-endian binary numbers. */
    private static String text(Header header) {
        byte[] value = header.value();
        if (value == null) {
            return null;
        }
        String key = header.key();
        if (key.startsWith("kafka_dlt-original-") && (value.length == 4 || value.length == 8)
                && (key.endsWith("-partition") || key.endsWith("-offset") || key.endsWith("-timestamp"))) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(value);
            return Long.toString(value.length == 4 ? buffer.getInt() : buffer.getLong());
        }
        return key.equals("kafka_dlt-exception-stacktrace") ? firstLine(value)
                : new String(value, StandardCharsets.UTF_8);
    }

    private static String firstLine(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

package io.txlab.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.txlab.contracts.Topics;
import io.txlab.devstack.testing.TestInfra;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code txlab.dlt.depth} against a real broker: it counts the dead letters of each saga topic that the replay group
 * has not consumed yet. Every test JVM shares one broker, so the test works on deltas of the topic it fills.
 */
class DeadLetterDepthIT {

    private static final String TOPIC = Topics.PAYMENT_EVENTS;
    private static final String DLT = Topics.deadLetter(TOPIC);

    @Test
    void countsDeadLettersUntilTheReplayGroupHasConsumedThem() throws Exception {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfra.kafka().bootstrapServers());
        MeterRegistry meters = new SimpleMeterRegistry();
        DeadLetterDepth depth = new DeadLetterDepth(config, meters);
        try (Admin admin = Admin.create(config)) {
            for (String topic : DeadLetterDepth.SAGA_TOPICS) {
                if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.deadLetter(topic))) {
                    admin.createTopics(List.of(new NewTopic(Topics.deadLetter(topic), 1, (short) 1))).all()
                            .get(10, TimeUnit.SECONDS);
                }
            }
            depth.refresh();
            double before = gauge(meters);

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    "bootstrap.servers", TestInfra.kafka().bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(DLT, 0, "order-1", "{}")).get(10, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>(DLT, 0, "order-2", "{}")).get(10, TimeUnit.SECONDS);
            }
            depth.refresh();
            assertThat(gauge(meters)).isEqualTo(before + 2);

            // What DeadLetters.replay does when it is done: commit the end of every partition for the replay group.
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(DLT)).allTopicNames().get(10, TimeUnit.SECONDS).get(DLT).partitions()
                    .forEach(p -> latest.put(new TopicPartition(DLT, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> replayed = new HashMap<>();
            admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                    .forEach((partition, end) -> replayed.put(partition, new OffsetAndMetadata(end.offset())));
            admin.alterConsumerGroupOffsets(DeadLetters.REPLAY_GROUP_PREFIX + TOPIC, replayed).all()
                    .get(10, TimeUnit.SECONDS);
            depth.refresh();
            assertThat(gauge(meters)).isZero();
        } finally {
            depth.close();
        }
    }

    private static double gauge(MeterRegistry meters) {
        return meters.get(DeadLetterDepth.DEPTH).tag("topic", DLT).gauge().value();
    }
}

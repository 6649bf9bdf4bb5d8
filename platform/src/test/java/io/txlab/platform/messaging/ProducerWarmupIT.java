package io.txlab.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Topics;
import io.txlab.devstack.testing.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** The producer warm-up against a real broker, and against none (it must give up, not hang or throw). */
class ProducerWarmupIT {

    private static final List<String> SAGA_TOPICS = List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS,
            Topics.PAYMENT_EVENTS);

    @Test
    void loadsTheMetadataOfEverySagaTopicFromARunningBroker() {
        KafkaTemplate<Object, Object> kafka = template(TestInfra.kafka().bootstrapServers());
        try {
            assertThat(new ProducerWarmup(kafka, SAGA_TOPICS, ProducerWarmup.defaultPolicy()).warm())
                    .containsExactlyElementsOf(SAGA_TOPICS);
        } finally {
            kafka.getProducerFactory().reset();
        }
    }

    @Test
    void givesUpOnAnUnreachableBrokerWithinItsRetryBudgetAndLetsTheServiceStart() {
        KafkaTemplate<Object, Object> kafka = template("127.0.0.1:1");
        RetryPolicy twice = RetryPolicy.builder().maxRetries(1).delay(Duration.ofMillis(10)).build();
        try {
            assertThat(new ProducerWarmup(kafka, List.of(Topics.ORDER_EVENTS), twice).warm()).isEmpty();
        } finally {
            kafka.getProducerFactory().reset();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KafkaTemplate<Object, Object> template(String bootstrap) {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000),
                (org.apache.kafka.common.serialization.Serializer) new StringSerializer(), new SagaEventSerializer()));
    }
}

package io.txlab.devstack.kafka;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.Topology;
import io.txlab.devstack.links.LinkProxy;
import io.txlab.devstack.links.LinkSpec;
import io.txlab.devstack.testing.TestInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker link (ADR 32): a client that bootstraps through its link is told the link's port by the broker, so its
 * later connections (to the broker node, to the group coordinator) go through the proxy too, not around it.
 */
class KafkaBrokerLinkIT {

    /** Its own ports: the broker's link ports are fixed by the topology (port + 2..7). */
    private static final int PORT_OFFSET = 1700;

    @Test
    void aClientThatBootstrapsThroughItsLinkKeepsEveryConnectionOnIt() throws Exception {
        Topology topology = Topology.withPortOffset(PORT_OFFSET);
        Topology.BrokerLink link = topology.brokerLinks().get(0);
        KafkaBroker broker = new KafkaBroker("link-kafka", ComponentPaths.in(TestInfra.runDir(), "link-kafka"),
                topology.component(Topology.KAFKA).port(), topology.brokerLinks());
        broker.start();
        try (LinkProxy proxy = new LinkProxy(new LinkSpec(link.service(), Topology.KAFKA, link.brokerPort(), link.linkPort()),
                link.linkPort())) {
            String bootstrap = "127.0.0.1:" + link.linkPort();
            String topic = "link-" + UUID.randomUUID();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "k", "through the link")).get();
            }
            // the bootstrap connection and the one to the node the broker advertised: both accepted by the proxy
            assertThat(proxy.status().acceptedConnections()).as("connections through the link after one send")
                    .isGreaterThanOrEqualTo(2);
            long beforeConsumer = proxy.status().acceptedConnections();
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "link-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(received::add);
                }
            }
            assertThat(received).extracting(ConsumerRecord::value).containsExactly("through the link");
            // bootstrap, the node, the group coordinator: a consumer opens at least three
            assertThat(proxy.status().acceptedConnections() - beforeConsumer).as("the consumer's connections through the link")
                    .isGreaterThanOrEqualTo(3);
        } finally {
            broker.stop();
        }
    }
}

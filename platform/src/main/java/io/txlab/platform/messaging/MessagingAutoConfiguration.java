package io.txlab.platform.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.txlab.contracts.Flow;
import io.txlab.contracts.Topics;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.outbox.OutboxProperties;
import io.txlab.platform.outbox.RelayPause;
import io.txlab.platform.tracing.OutboxTraceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.ClassUtils;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka for the {@code choreography} and {@code outbox} flows, on while either is in
 * {@code txlab.flows.enabled}.
 *
 * <p>Tuning, applied unless {@code spring.kafka.*} sets the key (figures: the ADRs):
 * <ul>
 *   <li>producer {@code linger.ms=0}: Kafka 4's default of 5 ms is added to every hop of a saga that has five hops;
 *       batching still happens under load while a request is in flight. {@code acks=all} + idempotence: an
 *       acknowledged event survives a broker crash and the producer's own retries add no duplicates.
 *       {@code max.block.ms}/{@code delivery.timeout.ms} bounded so a dead broker fails a send in seconds instead of
 *       blocking a listener thread for a minute or two;</li>
 *   <li>consumer {@code fetch.min.bytes=1}: the broker answers a fetch as soon as one record is there, so
 *       {@code fetch.max.wait.ms} only bounds an idle long-poll: shorter adds no speed, only idle fetches. At 100 ms
 *       nine consumers cost the broker and the services a few % of a core doing nothing; 5 s (Kafka's default is
 *       500 ms) took another ~0.7 % of a core off the idle broker (results/2026-12-03-relay-pause.md);
 *       {@code session.timeout.ms=10000} (default 45 s, broker minimum 6 s) so partitions of a SIGKILLed
 *       consumer move to a live one (or to its restart) after ~10 s, with heartbeats every 3 s;
 *       {@code auto.offset.reset=earliest} so a group created after events were written still sees them;</li>
 *   <li>listeners commit offsets every {@code txlab.choreography.commit-interval} (1 s) instead of after every poll.</li>
 * </ul>
 * Records that fail are retried a bounded number of times with exponential backoff, then published to
 * {@code <topic>.DLT} with the exception in headers; values that cannot be deserialized go there at once.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.kafka.core.KafkaTemplate")
@ConditionalOnFlow({Flow.CHOREOGRAPHY, Flow.OUTBOX})
@EnableConfigurationProperties({ChoreographyProperties.class, OutboxProperties.class})
public class MessagingAutoConfiguration {

    static Map<String, Object> producerTuning() {
        Map<String, Object> tuned = new LinkedHashMap<>();
        tuned.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        tuned.put(ProducerConfig.ACKS_CONFIG, "all");
        tuned.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        tuned.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
        tuned.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        tuned.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
        return tuned;
    }

    static Map<String, Object> consumerTuning() {
        Map<String, Object> tuned = new LinkedHashMap<>();
        tuned.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        tuned.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000);
        tuned.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        tuned.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        tuned.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return tuned;
    }

    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaProducerFactoryCustomizer sagaEventProducerTuning() {
        return factory -> {
            Map<String, Object> configs = new LinkedHashMap<>(factory.getConfigurationProperties());
            producerTuning().forEach(configs::putIfAbsent);
            factory.updateConfigs(configs);
            DefaultKafkaProducerFactory<Object, Object> typed = (DefaultKafkaProducerFactory<Object, Object>) factory;
            typed.setKeySerializer((org.apache.kafka.common.serialization.Serializer<Object>) (Object)
                    new StringSerializer());
            typed.setValueSerializer(new SagaEventSerializer());
        };
    }

    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaConsumerFactoryCustomizer sagaEventConsumerTuning() {
        return factory -> {
            Map<String, Object> configs = new LinkedHashMap<>(factory.getConfigurationProperties());
            consumerTuning().forEach(configs::putIfAbsent);
            factory.updateConfigs(configs);
            DefaultKafkaConsumerFactory<Object, Object> typed = (DefaultKafkaConsumerFactory<Object, Object>) factory;
            typed.setKeyDeserializer((org.apache.kafka.common.serialization.Deserializer<Object>) (Object)
                    new StringDeserializer());
            typed.setValueDeserializer((org.apache.kafka.common.serialization.Deserializer<Object>) (Object)
                    new ErrorHandlingDeserializer<>(new SagaEventDeserializer()));
        };
    }

    /**
     * Every saga listener container (Boot applies one customizer bean, so both settings live here):
     * <ul>
     *   <li>{@link SagaRecordInterceptor}: a record without a value is a dead letter at once, and an event the
     *       listener has no handler for is skipped before it is observed (adr/0049);</li>
     *   <li>offsets are committed every {@code txlab.choreography.commit-interval} instead of after every poll, unless
     *       {@code spring.kafka.listener.ack-mode} says otherwise. Redelivery after a crash is already the inbox's job
     *       (it drops what it has seen), so a longer interval only widens what is delivered again; at the comparison's
     *       rates a commit per record is a synchronous round trip through the group coordinator for every event.</li>
     * </ul>
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> sagaEventContainers(
            ChoreographyProperties props, KafkaProperties kafka, ApplicationContext context) {
        return container -> {
            String listenerId = container.getListenerId();
            container.setRecordInterceptor(new SagaRecordInterceptor(() -> handledBy(context, listenerId)));
            if (kafka.getListener().getAckMode() != null || props.commitInterval().isZero()) {
                return;
            }
            container.getContainerProperties().setAckMode(ContainerProperties.AckMode.TIME);
            container.getContainerProperties().setAckTime(props.commitInterval().toMillis());
        };
    }

    /** What the class-level listener with this id handles; empty if there is none (nothing is skipped then). */
    static Optional<HandledSagaEvents> handledBy(ApplicationContext context, String listenerId) {
        if (listenerId == null) {
            return Optional.empty();
        }
        for (Object bean : context.getBeansWithAnnotation(KafkaListener.class).values()) {
            KafkaListener listener = AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(bean),
                    KafkaListener.class);
            if (listener != null && listenerId.equals(context.getEnvironment().resolvePlaceholders(listener.id()))) {
                return HandledSagaEvents.of(bean.getClass());
            }
        }
        return Optional.empty();
    }

    @Bean
    @ConditionalOnMissingBean
    DefaultErrorHandler sagaEventErrorHandler(KafkaTemplate<Object, Object> kafka, ChoreographyProperties props) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(kafka,
                // Partition -1: the key (order id) picks it, so a replay keeps the order's events together.
                (record, e) -> new TopicPartition(Topics.deadLetter(record.topic()), -1));
        ExponentialBackOff backOff = new ExponentialBackOff(props.retryBackoff().toMillis(), 2.0);
        backOff.setMaxAttempts(props.retries());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        // A transient failure (database or broker down, 40001, 40P01...) is retried until it passes, the pause growing
        // to transient-max-backoff: the event is valid, and a dead letter would strand its order with stock or money
        // held. The record tracker starts a fresh back-off when the failure's type changes.
        ExponentialBackOff transientBackOff = transientBackOff(props);
        handler.setBackOffFunction((record, failure) -> TransientFailures.isTransient(failure)
                ? transientBackOff : null);
        return handler;
    }

    private static ExponentialBackOff transientBackOff(ChoreographyProperties props) {
        ExponentialBackOff backOff = new ExponentialBackOff(props.retryBackoff().toMillis(), 2.0);
        backOff.setMaxInterval(Math.max(props.retryBackoff().toMillis(), props.transientMaxBackoff().toMillis()));
        return backOff;
    }

    /** The producer connected and the saga topics' metadata loaded before the service reports ready. */
    @Bean
    ProducerWarmup sagaProducerWarmup(KafkaTemplate<Object, Object> kafka) {
        return new ProducerWarmup(kafka, List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS),
                ProducerWarmup.defaultPolicy());
    }

    /** The saga topics and their dead-letter topics, created by whichever service starts first. */
    @Bean
    KafkaAdmin.NewTopics sagaTopics(ChoreographyProperties props) {
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS)) {
            topics.add(new NewTopic(topic, props.partitions(), (short) 1));
            topics.add(new NewTopic(Topics.deadLetter(topic), props.partitions(), (short) 1));
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    @Bean
    @ConditionalOnMissingBean
    Inbox inbox(DataSource dataSource) {
        return new Inbox(JdbcClient.create(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    OutboxWriter outboxWriter(DataSource dataSource, OutboxProperties outbox,
                              ObjectProvider<OutboxTraceContext> trace, ObjectProvider<RelayPause> relayPause) {
        RelayPause pause = relayPause.getIfAvailable();
        return new OutboxWriter(JdbcClient.create(dataSource), outbox.relay() == OutboxProperties.Relay.POLLING,
                trace.getIfAvailable(OutboxTraceContext::noop), pause == null ? null : pause::wake);
    }

    @Bean
    @ConditionalOnMissingBean
    DirectPublisher directPublisher(KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints,
                                    ChoreographyProperties props) {
        return new DirectPublisher(kafka, crashPoints, props.sendTimeout());
    }

    @Bean
    @ConditionalOnProperty(prefix = "txlab.choreography.dlt-admin", name = "enabled", havingValue = "true")
    DeadLetterAdminController deadLetterAdminController(KafkaProperties kafkaProperties,
                                                        KafkaTemplate<Object, Object> kafka) {
        return new DeadLetterAdminController(new DeadLetters(kafkaProperties.buildConsumerProperties(), kafka));
    }

    @Bean
    @ConditionalOnMissingBean
    SagaEventPublisher sagaEventPublisher(DirectPublisher direct, OutboxWriter outbox) {
        return new SagaEventPublisher(direct, outbox);
    }

    /** {@code txlab.dlt.depth}, measured every 30 s (dead letters are rare; a scrape never waits for Kafka). */
    @Bean(destroyMethod = "close")
    DeadLetterDepth deadLetterDepth(KafkaProperties kafkaProperties, ObjectProvider<MeterRegistry> meters) {
        Map<String, Object> admin = new LinkedHashMap<>(kafkaProperties.buildAdminProperties());
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        DeadLetterDepth depth = new DeadLetterDepth(admin, meters.getIfAvailable(() -> Metrics.globalRegistry));
        depth.start(Duration.ofSeconds(30));
        return depth;
    }
}

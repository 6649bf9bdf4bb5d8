package io.txlab.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.Flow;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.messaging.MessagingAutoConfiguration;
import io.txlab.platform.scheduling.PeriodicTask;
import io.txlab.platform.tracing.OutboxTraceContext;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The relay of this service's outbox, chosen by {@code txlab.outbox.relay} ({@code debezium} by default,
 * {@code polling}, {@code none}); it is configuration, not a second writer. Started once the application is ready,
 * stopped on shutdown. Connects with {@code spring.datasource.url/username/password}.
 */
@AutoConfiguration(after = MessagingAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.kafka.core.KafkaTemplate")
@ConditionalOnFlow(Flow.OUTBOX)
public class OutboxRelayAutoConfiguration {

    @Bean
    RelayDatabase relayDatabase(Environment env) {
        return new RelayDatabase(env.getRequiredProperty("spring.datasource.url"),
                env.getProperty("spring.datasource.username"), env.getProperty("spring.datasource.password"));
    }

    /** The Debezium relay's streaming pause, which {@code OutboxWriter} wakes after each outbox commit (adr/0022). */
    @Bean
    @ConditionalOnProperty(prefix = "txlab.outbox", name = "relay", havingValue = "debezium", matchIfMissing = true)
    RelayPause relayPause(OutboxProperties props) {
        return new RelayPause(props.pollInterval(), props.idlePause());
    }

    @Bean(initMethod = "prepare")
    @ConditionalOnProperty(prefix = "txlab.outbox", name = "relay", havingValue = "debezium", matchIfMissing = true)
    DebeziumOutboxRelay debeziumOutboxRelay(RelayDatabase database, OutboxProperties props, Environment env,
                                            KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints,
                                            ObjectProvider<OutboxTraceContext> trace,
                                            ObjectProvider<MeterRegistry> registry,
                                            ObjectProvider<RelayPause> pause) {
        String service = env.getProperty("spring.application.name", "service");
        DebeziumOutboxRelay relay = new DebeziumOutboxRelay(database, props, props.slotNameFor(service), kafka,
                crashPoints, trace.getIfAvailable(OutboxTraceContext::noop), relayLag(registry, "debezium"),
                pause.getIfAvailable());
        MeterRegistry meters = registry.getIfAvailable();
        if (meters != null) {
            Gauge.builder("txlab.outbox.slot.lost", relay, r -> r.slotLost() ? 1 : 0)
                    .description("1 when the Debezium relay stopped because its replication slot is gone")
                    .register(meters);
        }
        return relay;
    }

    @Bean
    @ConditionalOnProperty(prefix = "txlab.outbox", name = "relay", havingValue = "polling")
    PollingOutboxRelay pollingOutboxRelay(RelayDatabase database, DataSource dataSource, OutboxProperties props,
                                          KafkaTemplate<Object, Object> kafka, CrashPoints crashPoints,
                                          ObjectProvider<OutboxTraceContext> trace,
                                          ObjectProvider<MeterRegistry> registry) {
        return new PollingOutboxRelay(database, dataSource, props, kafka, crashPoints,
                trace.getIfAvailable(OutboxTraceContext::noop), relayLag(registry, "polling"));
    }

    private static RelayLag relayLag(ObjectProvider<MeterRegistry> registry, String relay) {
        MeterRegistry meters = registry.getIfAvailable();
        return meters == null ? RelayLag.none() : RelayLag.register(meters, relay);
    }

    @Bean
    OutboxMaintenance outboxMaintenance(DataSource dataSource, OutboxProperties props,
                                        ObjectProvider<MeterRegistry> registry) {
        OutboxMaintenance maintenance = new OutboxMaintenance(JdbcClient.create(dataSource), props.retention());
        registry.ifAvailable(maintenance::register);
        return maintenance;
    }

    @Bean
    RelayRunner outboxRelayRunner(ObjectProvider<OutboxRelay> relay, OutboxMaintenance maintenance,
                                  OutboxProperties props) {
        return new RelayRunner(relay.getIfAvailable(), maintenance, props);
    }

    /** Starts the relay and the janitor when the application is ready; stops them on shutdown. */
    static class RelayRunner implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

        private final OutboxRelay relay;
        private final PeriodicTask janitor;

        RelayRunner(OutboxRelay relay, OutboxMaintenance maintenance, OutboxProperties props) {
            this.relay = relay;
            this.janitor = new PeriodicTask("outbox-janitor", props.janitorInterval(), props.janitorInterval(),
                    maintenance::prune);
        }

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            if (relay != null) {
                relay.start();
            }
            janitor.start();
        }

        @Override
        public void destroy() {
            janitor.stop();
            if (relay != null) {
                relay.stop();
            }
        }
    }
}

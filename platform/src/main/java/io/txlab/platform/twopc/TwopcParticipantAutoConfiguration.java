package io.txlab.platform.twopc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.txlab.contracts.Flow;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.internal.InternalProperties;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Registers {@link PreparedTransactions} and {@link ParticipantRecovery} in a service that runs flow {@code twopc}
 * ({@code txlab.flows.enabled}) and names its branch ({@code txlab.twopc.participant.branch}): naming a branch is what
 * makes a process a participant (the coordinator runs the flow too, and names none).
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration"})
@ConditionalOnClass(name = "org.springframework.jdbc.core.simple.JdbcClient")
@ConditionalOnFlow(Flow.TWOPC)
@ConditionalOnProperty(prefix = "txlab.twopc.participant", name = "branch")
@EnableConfigurationProperties({TwopcParticipantProperties.class, InternalProperties.class})
public class TwopcParticipantAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({DataSource.class, PlatformTransactionManager.class})
    PreparedTransactions preparedTransactions(DataSource dataSource, PlatformTransactionManager transactionManager,
                                              TwopcParticipantProperties properties) {
        return new PreparedTransactions(dataSource, transactionManager, properties.branch(), properties.lockTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(PreparedTransactions.class)
    ParticipantRecovery participantRecovery(PreparedTransactions preparedTransactions,
                                            TwopcParticipantProperties properties, InternalProperties internal,
                                            ObjectProvider<CommitListener> listeners,
                                            ObjectProvider<MeterRegistry> meters) {
        ParticipantRecovery recovery = new ParticipantRecovery(preparedTransactions,
                new CoordinatorClient(properties.coordinatorUrl(), internal.secret()),
                properties.recoveryInterval(), properties.recoveryMinAge(),
                gid -> listeners.orderedStream().forEach(listener -> listener.committed(gid)));
        Gauge.builder("txlab.twopc.parked", recovery, r -> r.parked().size())
                .description("prepared branches parked for an operator: their coordinator's decision log is gone")
                .register(meters.getIfAvailable(() -> Metrics.globalRegistry));
        return recovery;
    }
}

package io.txlab.platform.idempotency;

import io.txlab.platform.scheduling.PeriodicTask;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Provides {@link IdempotencyKeys} over the service's own DataSource, keys remembered for
 * {@code txlab.idempotency.retention}, and a purge of the expired ones every {@code txlab.idempotency.purge-interval}.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(IdempotencyProperties.class)
public class IdempotencyAutoConfiguration {

    /** Expired keys deleted per statement: a purge after a long pause never holds one huge delete. */
    public static final int PURGE_BATCH = 1000;

    @Bean
    @ConditionalOnMissingBean
    IdempotencyKeys idempotencyKeys(DataSource dataSource, IdempotencyProperties props) {
        return new IdempotencyKeys(JdbcClient.create(dataSource), props.retention());
    }

    /** A bean of its own (a {@link PeriodicTask} starts and stops with the context): one purge pass per interval. */
    @Bean
    PeriodicTask idempotencyKeyPurge(IdempotencyKeys keys, IdempotencyProperties props) {
        return keys.purgeTask("idempotency-key-purge", props.purgeInterval(), PURGE_BATCH);
    }
}

package io.txlab.order.cockroach;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.Flow;
import io.txlab.inventory.inventory.InventoryRepository;
import io.txlab.inventory.inventory.InventoryService;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.idempotency.IdempotencyAutoConfiguration;
import io.txlab.platform.idempotency.IdempotencyKeys;
import io.txlab.platform.idempotency.IdempotencyProperties;
import io.txlab.platform.scheduling.PeriodicTask;
import io.txlab.payment.payment.PaymentRepository;
import io.txlab.payment.payment.PaymentService;
import io.txlab.platform.tracing.OrderTracing;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the {@code cockroach} flow (on while {@code cockroach} is in {@code txlab.flows.enabled}).
 *
 * <p>The flow's DataSource is a second Hikari pool declared with {@code defaultCandidate = false}: it is injected
 * only where asked for by name, so Spring Boot's own DataSource, JdbcClient, transaction manager, Flyway and the
 * platform's idempotency keys keep binding to the orders database exactly as without this flow. The flow's
 * transaction manager, JdbcClient and idempotency keys are private to it for the same reason.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlow(Flow.COCKROACH)
class CockroachConfiguration {

    @Bean(defaultCandidate = false, destroyMethod = "close")
    HikariDataSource cockroachDataSource(CockroachProperties properties) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("cockroach");
        config.setJdbcUrl(properties.url());
        config.setUsername(properties.username());
        config.setPassword(properties.password());
        config.setMaximumPoolSize(properties.poolSize());
        // Explicit on every connection: CockroachDB is serializable anyway, the PostgreSQL stand-in is not by default.
        config.setTransactionIsolation("TRANSACTION_SERIALIZABLE");
        return new HikariDataSource(config);
    }

    @Bean
    CockroachDatabase cockroachDatabase(@Qualifier("cockroachDataSource") DataSource dataSource,
                                        CockroachProperties properties) {
        return CockroachDatabase.prepare(dataSource, properties);
    }

    @Bean
    CockroachFlow cockroachFlow(@Qualifier("cockroachDataSource") DataSource dataSource,
                                            CockroachDatabase database, CockroachProperties properties,
                                            MeterRegistry meters, OrderTracing tracing, IdempotencyProperties keys) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        // The inventory and payment cores, the same code the two services run, here over this flow's one database:
        // built by hand, so their @Transactional does nothing and they join the flow's transaction (ADR 29).
        return new CockroachFlow(new CockroachOrders(jdbc),
                new InventoryService(new InventoryRepository(jdbc)), new PaymentService(new PaymentRepository(jdbc)),
                new IdempotencyKeys(jdbc, keys.retention()),
                new TransactionTemplate(new JdbcTransactionManager(dataSource)),
                new SerializationRetry(properties, meters, database.backend().id()), database.backend(), tracing);
    }

    /** The flow's own idempotency keys expire and are purged like the platform's (ADR 36). */
    @Bean
    PeriodicTask cockroachIdempotencyKeyPurge(@Qualifier("cockroachDataSource") DataSource dataSource,
                                              IdempotencyProperties keys) {
        return new IdempotencyKeys(JdbcClient.create(dataSource), keys.retention())
                .purgeTask("cockroach-idempotency-key-purge", keys.purgeInterval(), IdempotencyAutoConfiguration.PURGE_BATCH);
    }

    /** {@code /actuator/info} → {@code txlab.cockroach.backend}, the server's version and the retry bound. */
    @Bean
    InfoContributor cockroachInfo(CockroachDatabase database, CockroachProperties properties) {
        return info -> info.withDetail("txlab", Map.of("cockroach", Map.of(
                "backend", database.backend().id(),
                "serverVersion", database.serverVersion(),
                "maxRetries", properties.maxRetries())));
    }
}

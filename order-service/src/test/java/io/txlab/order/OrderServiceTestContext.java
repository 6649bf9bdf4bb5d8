package io.txlab.order;

import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.order.catalogue.ReferenceServicesStub;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One Spring context for all order-service integration tests: a real PostgreSQL database (fresh, migrated by
 * Flyway), a stub of the inventory/payment look-ups, and a recording launcher for the choreography flow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(OrderServiceTestContext.TestBeans.class)
public abstract class OrderServiceTestContext {

    protected static final ReferenceServicesStub REFERENCES = ReferenceServicesStub.start();
    private static final Database DATABASE = TestInfra.postgres().freshDatabase("orders");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("txlab.services.inventory-url", REFERENCES::url);
        registry.add("txlab.services.payment-url", REFERENCES::url);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestBeans {

        @Bean
        RecordingFlowLauncher recordingFlowLauncher(JdbcClient jdbc) {
            return new RecordingFlowLauncher(jdbc);
        }

        @Bean
        RecordedEvents recordedEvents() {
            return new RecordedEvents();
        }
    }
}

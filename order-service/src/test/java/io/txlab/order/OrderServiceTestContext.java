package io.txlab.order;

import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.order.catalogue.ReferenceServicesStub;
import io.txlab.order.order.OrderService;
import io.txlab.order.saga.ParticipantSteps;
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
    /** {@code txlab.orders.long-poll.max-waiting} of the context. */
    protected static final int MAX_LONG_POLLS = 300;
    private static final Database DATABASE = TestInfra.postgres().freshDatabase("orders");
    /** The cockroach flow's own database: PostgreSQL at SERIALIZABLE, as the local stand-in runs it. */
    protected static final Database COCKROACH_DATABASE = TestInfra.postgres().freshDatabase("cockroach");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("txlab.internal.secret", () -> TestInfra.INTERNAL_SECRET);
        // AdminOrdersIT takes operator actions; AdminOrderActionsConditionTest shows they are off by default.
        registry.add("txlab.admin.actions.enabled", () -> "true");
        // Above the 250 of OrderApiIT's thread test, low enough for its capacity test to fill.
        registry.add("txlab.orders.long-poll.max-waiting", () -> MAX_LONG_POLLS);
        // Kafka flows (choreography/outbox) are tested end to end in system-tests; here no broker, no CDC slot.
        registry.add("txlab.flows.enabled", () -> "orchestration,twopc,cockroach");
        registry.add("txlab.services.inventory-url", REFERENCES::url);
        registry.add("txlab.services.payment-url", REFERENCES::url);
        registry.add("txlab.cockroach.url", COCKROACH_DATABASE::jdbcUrl);
        registry.add("txlab.cockroach.username", COCKROACH_DATABASE::username);
        registry.add("txlab.cockroach.password", COCKROACH_DATABASE::password);
        registry.add("txlab.cockroach.backend", () -> "postgresql-serializable-standin");
        // Nothing listens there: neither the twopc launcher, its sweep nor the participant recovery may talk to a
        // coordinator that might run on the default port (./txlab up).
        registry.add("txlab.twopc.coordinator-url", () -> "http://127.0.0.1:9");
        registry.add("txlab.twopc.participant.coordinator-url", () -> "http://127.0.0.1:9");
        // The orchestration activity worker polls the test JVM's real Temporal server (never one on the default port).
        registry.add("txlab.temporal.target", () -> TestInfra.temporal().target());
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestBeans {

        @Bean
        RecordingFlow recordingFlow(OrderService orders, ParticipantSteps participants, JdbcClient jdbc) {
            return new RecordingFlow(orders, participants, jdbc);
        }

        @Bean
        RecordedEvents recordedEvents() {
            return new RecordedEvents();
        }
    }
}

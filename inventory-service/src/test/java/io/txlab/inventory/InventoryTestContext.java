package io.txlab.inventory;

import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.OrderServiceStub;
import io.txlab.devstack.testing.TestInfra;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context every inventory integration test shares: the whole service on a random port against a
 * fresh database on the test JVM's real PostgreSQL. Subclasses add no configuration of their own, so Spring's test
 * context cache starts the application once. Tests share the database, so each works on its own order ids and
 * compares stock before and after rather than against absolute numbers (HOT-01 belongs to the contention test).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class InventoryTestContext {

    private static final Database DATABASE = TestInfra.postgres().freshDatabase("inventory");
    /** order-service as the release's state check sees it: every order unknown (404) unless a test says otherwise. */
    protected static final OrderServiceStub ORDERS = OrderServiceStub.start();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
        registry.add("txlab.internal.secret", () -> TestInfra.INTERNAL_SECRET);
        registry.add("txlab.services.order-url", ORDERS::url);
        // Kafka flows (choreography/outbox) are tested end to end in system-tests; here no broker, no CDC slot.
        registry.add("txlab.flows.enabled", () -> "orchestration,twopc");
        // Nothing listens there: the twopc participant recovery must not resolve the tests' prepared branches with
        // whatever coordinator might run on the default port (./txlab up).
        registry.add("txlab.twopc.participant.coordinator-url", () -> "http://127.0.0.1:9");
        // The orchestration activity worker polls the test JVM's real Temporal server (never one on the default port).
        registry.add("txlab.temporal.target", () -> TestInfra.temporal().target());
    }
}

package io.txlab.inventory;

import io.txlab.devstack.postgres.Database;
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

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", DATABASE::username);
        registry.add("spring.datasource.password", DATABASE::password);
    }
}

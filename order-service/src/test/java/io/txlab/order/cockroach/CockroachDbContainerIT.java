package io.txlab.order.cockroach;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.order.PlaceOrder;
import io.txlab.platform.tracing.OrderTracing;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cockroachdb.CockroachContainer;

/**
 * The same flow code against real CockroachDB (single node, Testcontainers): migrations, the backend label, the happy
 * path and the hot-SKU contention case. Skipped, saying why, where no Docker engine runs (as on this project's
 * development machines, which cannot obtain a CockroachDB binary either).
 */
class CockroachDbContainerIT {

    /** A CockroachDB release with the SQL this flow uses; override with -Dtxlab.cockroach.image=... */
    private static final String IMAGE = System.getProperty("txlab.cockroach.image", "cockroachdb/cockroach:v24.3.5");

    private static CockroachContainer cockroach;
    private static HikariDataSource dataSource;
    private static CockroachFlow flow;
    private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
    private static final boolean DOCKER = DockerClientFactory.instance().isDockerAvailable();

    /** Per test rather than in {@code @BeforeAll}, so that reports list each test as skipped, with the reason. */
    @BeforeEach
    void requireDocker() {
        Assumptions.assumeTrue(DOCKER,
                "no Docker engine here: real CockroachDB runs only through Testcontainers (no CockroachDB binary"
                        + " can be installed on this machine); the stand-in tests (CockroachPlacementIT) still ran");
    }

    @BeforeAll
    static void startCockroachDb() {
        if (!DOCKER) {
            return;
        }
        cockroach = new CockroachContainer(IMAGE);
        cockroach.start();
        CockroachProperties properties = new CockroachProperties(cockroach.getJdbcUrl(),
                cockroach.getUsername(), cockroach.getPassword(), CockroachBackend.COCKROACHDB.id(), 10, 15,
                Duration.ofMillis(2), Duration.ofMillis(200));
        CockroachConfiguration configuration = new CockroachConfiguration();
        dataSource = configuration.cockroachDataSource(properties);
        CockroachDatabase database = configuration.cockroachDatabase(dataSource, properties);
        flow = configuration.cockroachFlow(dataSource, database, properties, METERS, OrderTracing.noop(),
                new io.txlab.platform.idempotency.IdempotencyProperties(Duration.ofHours(24), Duration.ofHours(1)));
    }

    @AfterAll
    static void stop() {
        if (dataSource != null) {
            dataSource.close();
        }
        if (cockroach != null) {
            cockroach.stop();
        }
    }

    @Test
    void labelsItselfCockroachDbAndPlacesTheWholeOrderAtomically() {
        assertThat(flow.backend()).isEqualTo("cockroachdb");
        JdbcClient db = JdbcClient.create(dataSource);
        int stockBefore = stock(db, "SKU-0001");

        Order order = flow.place("crdb-" + UUID.randomUUID(), new PlaceOrder("C-0001", Flow.COCKROACH,
                List.of(new OrderLine("SKU-0001", 2, new BigDecimal("11.00"))))).order();
        Order broke = flow.place("crdb-" + UUID.randomUUID(), new PlaceOrder("BROKE-01", Flow.COCKROACH,
                List.of(new OrderLine("SKU-0001", 1, new BigDecimal("11.00"))))).order();

        assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(broke.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(broke.reason()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(stock(db, "SKU-0001")).isEqualTo(stockBefore - 2);
        assertThat(db.sql("SELECT status FROM payment WHERE order_id = ?").param(order.id()).query(String.class)
                .single()).isEqualTo("AUTHORIZED");
        assertThat(db.sql("SELECT count(*) FROM money_conservation WHERE discrepancy <> 0").query(Long.class)
                .single()).isZero();
    }

    @Test
    void hotSkuContentionNeverOversellsAndCountsItsRetries() throws Exception {
        int orders = 40;
        ExecutorService clients = Executors.newFixedThreadPool(orders);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Order>> results = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            String customer = String.format("C-%04d", 200 + i);
            results.add(clients.submit(() -> {
                go.await();
                return flow.place("crdb-hot-" + UUID.randomUUID(), new PlaceOrder(customer, Flow.COCKROACH,
                        List.of(new OrderLine("HOT-01", 5, new BigDecimal("10.00"))))).order();
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        clients.shutdown();
        assertThat(clients.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        List<Order> placed = new ArrayList<>();
        for (Future<Order> result : results) {
            placed.add(result.get());
        }

        Map<String, Long> outcomes = placed.stream().collect(Collectors.groupingBy(
                o -> o.status() + (o.reason() == null ? "" : " " + o.reason()), Collectors.counting()));
        int retries = placed.stream().mapToInt(o -> flow.retriesRecorded(o.id()).orElseThrow()).sum();
        System.out.printf("hot-SKU contention on %s: %d orders x 5 of HOT-01 (stock 100) in %d ms -> %s;"
                        + " retries recorded %d%n", flow.backend(), orders,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), outcomes, retries);
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "CONFIRMED", 20L, "CANCELLED OUT_OF_STOCK", 20L));
        assertThat(stock(JdbcClient.create(dataSource), "HOT-01")).isZero();
    }

    private static int stock(JdbcClient db, String sku) {
        return db.sql("SELECT available FROM product WHERE sku = ?").param(sku).query(Integer.class).single();
    }
}

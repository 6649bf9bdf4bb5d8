package io.txlab.order.cockroach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.order.PlaceOrder;
import io.txlab.order.order.PlacementResult;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cockroach flow against real PostgreSQL at SERIALIZABLE (the local stand-in): the whole order in one
 * transaction, refusals that apply nothing, the hot-SKU contention case and the retry loop with injected 40001s.
 * Each test uses its own customers and SKUs, so they share the seeded database without interfering.
 */
class CockroachPlacementIT extends OrderServiceTestContext {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String STANDIN = "postgresql-serializable-standin";

    @LocalServerPort
    int port;
    @Autowired
    CockroachFlow flow;
    @Autowired
    MeterRegistry meters;
    @Autowired
    @Qualifier("cockroachDataSource")
    DataSource cockroachDataSource;
    @Autowired
    JdbcClient ordersDb;

    private JdbcClient db() {
        return JdbcClient.create(cockroachDataSource);
    }

    // --- the whole order, all or nothing --------------------------------------------------------------------------

    @Test
    void placesTheWholeOrderInOneTransactionConfirmedAndLabelledWithItsBackend() {
        Snapshot before = snapshot("C-0002", "SKU-0002", "SKU-0003");
        String key = "cockroach-" + UUID.randomUUID();
        String body = order("C-0002", line("SKU-0002", 2, "12.00"), line("SKU-0003", 1, "13.00"));

        Response created = post(key, body);

        assertThat(created.status()).isEqualTo(201);
        JsonNode order = created.json();
        UUID id = UUID.fromString(order.get("id").asString());
        assertThat(order.get("flow").asString()).isEqualTo("cockroach");
        assertThat(order.get("status").asString()).isEqualTo("CONFIRMED");
        assertThat(order.get("reason").isNull()).isTrue();
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("37.00");
        assertThat(order.get("completedAt").isNull()).isFalse();
        assertThat(order.get("backend").asString()).isEqualTo(STANDIN);
        assertThat(created.header("Location")).endsWith("/orders/" + id);

        Snapshot after = snapshot("C-0002", "SKU-0002", "SKU-0003");
        assertThat(after.stock().get("SKU-0002")).isEqualTo(before.stock().get("SKU-0002") - 2);
        assertThat(after.stock().get("SKU-0003")).isEqualTo(before.stock().get("SKU-0003") - 1);
        assertThat(after.balance()).isEqualByComparingTo(before.balance().subtract(new BigDecimal("37.00")));
        assertThat(db().sql("SELECT status || ' ' || amount || ' ' || customer_id FROM payment WHERE order_id = ?")
                .param(id).query(String.class).single()).isEqualTo("AUTHORIZED 37.00 C-0002");
        assertThat(db().sql("SELECT count(*) FROM order_line WHERE order_id = ?").param(id).query(Long.class)
                .single()).isEqualTo(2);
        // The inventory core ran inside the transaction: the reservation inventory-service would have written.
        assertThat(db().sql("SELECT status FROM reservation WHERE order_id = ?").param(id).query(String.class)
                .single()).isEqualTo("RESERVED");
        assertThat(db().sql("SELECT sku || ' ' || quantity FROM reservation_line WHERE order_id = ? ORDER BY sku")
                .param(id).query(String.class).list()).containsExactly("SKU-0002 2", "SKU-0003 1");
        assertConserved();
        // The system of record is the cockroach database alone: no order row in order-service's own database.
        assertThat(ordersDb.sql("SELECT count(*) FROM purchase_order WHERE id = ?").param(id).query(Long.class)
                .single()).isZero();

        // Read back, long-poll (final already: answers at once) and replay.
        Response read = get("/orders/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(order);
        long start = System.nanoTime();
        Response polled = get("/orders/" + id + "?waitForFinal=10s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(polled.json()).isEqualTo(order);

        Response replayed = post(key, body);
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.json()).isEqualTo(order);
        assertThat(snapshot("C-0002", "SKU-0002", "SKU-0003")).isEqualTo(after);

        Response reused = post(key, body.replace("\"quantity\":2", "\"quantity\":3"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.json().get("type").asString()).endsWith("idempotency-key-reused");
        assertThat(snapshot("C-0002", "SKU-0002", "SKU-0003")).isEqualTo(after);
    }

    @Test
    void outOfStockAppliesNothingAndRecordsTheOrderCancelled() {
        // SKU-0004 sorts before SOLDOUT-02, so its stock is taken first and must be given back by the rollback.
        Snapshot before = snapshot("C-0003", "SKU-0004", "SOLDOUT-02");

        Response response = post("cockroach-" + UUID.randomUUID(),
                order("C-0003", line("SKU-0004", 1, "14.00"), line("SOLDOUT-02", 1, "10.00")));

        assertCancelled(response, "OUT_OF_STOCK");
        assertThat(snapshot("C-0003", "SKU-0004", "SOLDOUT-02")).isEqualTo(before);
        assertNothingHeld(response);
        assertThat(get("/orders/" + response.json().get("id").asString()).json().get("status").asString())
                .isEqualTo("CANCELLED");
        assertConserved();
    }

    @Test
    void insufficientFundsAppliesNothingAndRecordsTheOrderCancelled() {
        Snapshot before = snapshot("BROKE-02", "SKU-0005");

        Response response = post("cockroach-" + UUID.randomUUID(), order("BROKE-02", line("SKU-0005", 3, "15.00")));

        assertCancelled(response, "INSUFFICIENT_FUNDS");
        assertThat(snapshot("BROKE-02", "SKU-0005")).isEqualTo(before);
        assertNothingHeld(response);
        assertConserved();
    }

    @Test
    void unknownSkusOrCustomerAre422AsInEveryOtherFlowAndRecordNothing() {
        Snapshot before = snapshot("C-0004", "SKU-0006");
        long ordersBefore = db().sql("SELECT count(*) FROM purchase_order").query(Long.class).single();

        Response unknownSku = post("cockroach-" + UUID.randomUUID(), order("C-0004", line("SKU-0006", 1, "16.00"),
                line("NO-SUCH-SKU", 1, "10.00"), line("NO-SUCH-SKU-2", 1, "10.00")));
        Response unknownCustomer = post("cockroach-" + UUID.randomUUID(),
                order("NO-SUCH-CUSTOMER", line("SKU-0006", 1, "16.00")));

        assertThat(unknownSku.status()).isEqualTo(422);
        assertThat(unknownSku.json().get("type").asString()).endsWith("/unknown-sku");
        assertThat(unknownSku.json().get("detail").asString()).contains("NO-SUCH-SKU, NO-SUCH-SKU-2");
        assertThat(unknownCustomer.status()).isEqualTo(422);
        assertThat(unknownCustomer.json().get("type").asString()).endsWith("/unknown-customer");
        assertThat(snapshot("C-0004", "SKU-0006")).isEqualTo(before);
        assertThat(db().sql("SELECT count(*) FROM purchase_order").query(Long.class).single()).isEqualTo(ordersBefore);
    }

    @Test
    void aUnitPriceOtherThanTheProductsIs422AndAppliesAndRecordsNothing() {
        Snapshot before = snapshot("C-0005", "SKU-0010");
        long ordersBefore = db().sql("SELECT count(*) FROM purchase_order").query(Long.class).single();

        Response response = post("cockroach-" + UUID.randomUUID(), order("C-0005", line("SKU-0010", 1, "0.01")));

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("type").asString()).endsWith("/price-mismatch");
        assertThat(response.json().get("detail").asString()).contains("SKU-0010 (offered 0.01, catalogue 20.00)");
        assertThat(snapshot("C-0005", "SKU-0010")).isEqualTo(before);
        assertThat(db().sql("SELECT count(*) FROM purchase_order").query(Long.class).single()).isEqualTo(ordersBefore);
    }

    @Test
    void aRepeatedRefusedRequestReplaysTheCancelledOrder() {
        String key = "cockroach-" + UUID.randomUUID();
        String body = order("BROKE-03", line("SKU-0007", 1, "17.00"));

        Response first = post(key, body);
        Response again = post(key, body);

        assertCancelled(first, "INSUFFICIENT_FUNDS");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
    }

    // --- contention ---------------------------------------------------------------------------------------------

    @Test
    void hotSkuContentionNeverOversellsAndCountsItsRetries() throws Exception {
        int orders = 40;
        int quantity = 5;
        assertThat(stock("HOT-01")).isEqualTo(100);
        double retriesBefore = counted("txlab.cockroach.serialization.retries");
        ExecutorService clients = Executors.newFixedThreadPool(orders);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<PlacementResult>> results = new ArrayList<>();
        long start;
        try {
            for (int i = 0; i < orders; i++) {
                String customer = String.format("C-%04d", 100 + i);
                results.add(clients.submit(() -> {
                    go.await();
                    return flow.place("hot-" + UUID.randomUUID(), new PlaceOrder(customer, Flow.COCKROACH,
                            List.of(new OrderLine("HOT-01", quantity, new BigDecimal("10.00")))));
                }));
            }
            start = System.nanoTime();
            go.countDown();
        } finally {
            clients.shutdown();
        }
        assertThat(clients.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        List<Order> placed = new ArrayList<>();
        for (Future<PlacementResult> result : results) {
            placed.add(result.get().order());
        }

        Map<String, Long> outcomes = placed.stream().collect(Collectors.groupingBy(
                o -> o.status() + (o.reason() == null ? "" : " " + o.reason()), Collectors.counting()));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "CONFIRMED", 20L, "CANCELLED OUT_OF_STOCK", 20L));
        assertThat(stock("HOT-01")).isZero();
        assertConserved();
        List<Integer> retries = placed.stream()
                .map(o -> flow.retriesRecorded(o.id()).orElseThrow())
                .toList();
        int totalRetries = retries.stream().mapToInt(Integer::intValue).sum();
        double counted = counted("txlab.cockroach.serialization.retries") - retriesBefore;
        System.out.printf("hot-SKU contention on %s: %d orders x %d of HOT-01 (stock 100) in %d ms -> %s;"
                        + " retries recorded on the orders %d (max %d per order), counted by the metric %.0f%n",
                flow.backend(), orders, quantity, elapsedMs, outcomes, totalRetries,
                retries.stream().mapToInt(Integer::intValue).max().orElse(0), counted);
        assertThat(totalRetries).isPositive();
        assertThat(counted).isEqualTo(totalRetries);
    }

    // --- the retry loop -----------------------------------------------------------------------------------------

    @Test
    void anInjectedSerializationFailureIsRetriedAndTheOrderCommitsOnceWithItsRetriesRecorded() {
        injectSerializationFailures("C-0990", 3);
        Snapshot before = snapshot("C-0990", "SKU-0008");
        double retriesBefore = counted("txlab.cockroach.serialization.retries");

        PlacementResult result = flow.place("cockroach-" + UUID.randomUUID(), new PlaceOrder("C-0990",
                Flow.COCKROACH, List.of(new OrderLine("SKU-0008", 1, new BigDecimal("18.00")))));

        assertThat(result.order().status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(flow.retriesRecorded(result.order().id())).contains(3);
        assertThat(counted("txlab.cockroach.serialization.retries") - retriesBefore).isEqualTo(3.0);
        Snapshot after = snapshot("C-0990", "SKU-0008");
        assertThat(after.stock().get("SKU-0008")).isEqualTo(before.stock().get("SKU-0008") - 1);
        assertThat(after.balance()).isEqualByComparingTo(before.balance().subtract(new BigDecimal("18.00")));
        assertThat(db().sql("SELECT count(*) FROM payment WHERE customer_id = 'C-0990'").query(Long.class).single())
                .isEqualTo(1);
        assertConserved();
    }

    @Test
    void whenRetriesRunOutTheRequestFailsClearlyWith503AndNothingIsApplied() {
        // More failures than attempts: every attempt reaches the payment insert (stock and balance already updated
        // in that attempt) and fails there, so each rollback has something to undo.
        injectSerializationFailures("C-0991", 1_000);
        Snapshot before = snapshot("C-0991", "SKU-0009");
        String key = "cockroach-" + UUID.randomUUID();

        Response response = post(key, order("C-0991", line("SKU-0009", 1, "19.00")));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        JsonNode problem = response.json();
        assertThat(problem.get("type").asString()).endsWith("serialization-retries-exhausted");
        assertThat(problem.get("attempts").asInt()).isEqualTo(16);
        assertThat(problem.get("sqlState").asString()).isEqualTo("40001");
        assertThat(problem.get("backend").asString()).isEqualTo(STANDIN);
        assertThat(snapshot("C-0991", "SKU-0009")).isEqualTo(before);
        assertThat(db().sql("SELECT count(*) FROM purchase_order WHERE customer_id = 'C-0991'").query(Long.class)
                .single()).isZero();
        assertThat(db().sql("SELECT count(*) FROM idempotency_key WHERE idempotency_key = ?").param(key)
                .query(Long.class).single()).isZero();
        assertThat(db().sql("SELECT count(*) FROM payment WHERE customer_id = 'C-0991'").query(Long.class).single())
                .isZero();
    }

    @Test
    void theBackendIsNamedTruthfullyInActuatorInfo() {
        JsonNode info = get("/actuator/info").json();

        assertThat(info.at("/txlab/cockroach/backend").asString()).isEqualTo(STANDIN);
        assertThat(info.at("/txlab/cockroach/serverVersion").asString()).startsWith("PostgreSQL");
        assertThat(db().sql("SHOW transaction_isolation").query(String.class).single()).isEqualTo("serializable");
    }

    // --- one schema source per table (ADR 29) ---------------------------------------------------------------------

    @Test
    void everyTableComesFromTheSchemaFilesOfItsOwner() {
        for (CockroachSchema.Source source : CockroachSchema.SOURCES) {
            assertThat(db().sql("SELECT count(*) FROM flyway_history_" + source.name() + " WHERE success AND version"
                    + " IS NOT NULL AND version <> '0'").query(Long.class).single())
                    .as("migrations applied from %s", source.location()).isPositive();
        }
        // The platform source stops at the idempotency keys: no inbox or outbox in this database.
        assertThat(db().sql("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('inbox', 'outbox')")
                .query(Long.class).single()).isZero();
    }

    @Test
    void aDatabaseOfTheEarlierMergedLayoutIsRefusedBeforeAnythingIsChanged() {
        db().sql("CREATE SCHEMA earlier_layout").update();
        try {
            db().sql("CREATE TABLE earlier_layout." + CockroachSchema.EARLIER_LAYOUT_HISTORY + " (version text)")
                    .update();
            assertThatThrownBy(() -> CockroachSchema.migrate(cockroachDataSource, "the test database"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("earlier txlab")
                    .hasMessageContaining("Drop and recreate");
        } finally {
            db().sql("DROP SCHEMA earlier_layout CASCADE").update();
        }
    }

    @Test
    void aPlacementRouteOnlyPlacesItsOwnFlow() {
        assertThatThrownBy(() -> flow.place("k", new PlaceOrder("C-0001", Flow.CHOREOGRAPHY,
                List.of(new OrderLine("SKU-0001", 1, BigDecimal.TEN))))).isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** The first {@code times} payment inserts for {@code customer} fail with a real server-side SQLSTATE 40001. */
    private void injectSerializationFailures(String customer, int times) {
        String suffix = customer.toLowerCase().replace('-', '_');
        // A sequence, not a counter table: nextval survives the rollback of the transaction that failed.
        db().sql("CREATE SEQUENCE injected_40001_" + suffix).update();
        db().sql("""
                CREATE OR REPLACE FUNCTION inject_40001() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.customer_id = TG_ARGV[0] AND nextval(TG_ARGV[1]::regclass) <= TG_ARGV[2]::int THEN
                        RAISE EXCEPTION 'injected serialization failure for %', NEW.customer_id
                            USING ERRCODE = '40001';
                    END IF;
                    RETURN NEW;
                END $$""").update();
        db().sql("CREATE TRIGGER inject_40001_" + suffix + " BEFORE INSERT ON payment FOR EACH ROW EXECUTE FUNCTION"
                + " inject_40001('" + customer + "', 'injected_40001_" + suffix + "', '" + times + "')").update();
    }

    private void assertCancelled(Response response, String reason) {
        assertThat(response.status()).isEqualTo(201);
        JsonNode order = response.json();
        assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
        assertThat(order.get("reason").asString()).isEqualTo(reason);
        assertThat(order.get("completedAt").isNull()).isFalse();
        assertThat(order.get("backend").asString()).isEqualTo(STANDIN);
    }

    /** The refusal rolled back the cores' work too: no payment row, not even DECLINED, and no reservation row. */
    private void assertNothingHeld(Response response) {
        UUID id = UUID.fromString(response.json().get("id").asString());
        assertThat(db().sql("SELECT count(*) FROM payment WHERE order_id = ?").param(id).query(Long.class).single())
                .isZero();
        assertThat(db().sql("SELECT count(*) FROM reservation WHERE order_id = ?").param(id).query(Long.class)
                .single()).isZero();
    }

    private void assertConserved() {
        assertThat(db().sql("SELECT count(*) FROM stock_conservation WHERE discrepancy <> 0").query(Long.class)
                .single()).isZero();
        assertThat(db().sql("SELECT count(*) FROM money_conservation WHERE discrepancy <> 0").query(Long.class)
                .single()).isZero();
        assertThat(db().sql("SELECT count(*) FROM product WHERE available < 0").query(Long.class).single()).isZero();
    }

    private record Snapshot(BigDecimal balance, Map<String, Integer> stock) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot other && balance.compareTo(other.balance) == 0 && stock.equals(other.stock);
        }

        @Override
        public int hashCode() {
            return stock.hashCode();
        }
    }

    private Snapshot snapshot(String customer, String... skus) {
        BigDecimal balance = db().sql("SELECT balance FROM account WHERE customer_id = ?").param(customer)
                .query(BigDecimal.class).optional().orElse(BigDecimal.ZERO);
        Map<String, Integer> stock = new java.util.TreeMap<>();
        for (String sku : skus) {
            stock.put(sku, stock(sku));
        }
        return new Snapshot(balance, stock);
    }

    private int stock(String sku) {
        return db().sql("SELECT available FROM product WHERE sku = ?").param(sku).query(Integer.class).single();
    }

    private double counted(String meter) {
        return meters.find(meter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static String order(String customer, String... lines) {
        return "{\"customerId\":\"" + customer + "\",\"flow\":\"cockroach\",\"lines\":[" + String.join(",", lines)
                + "]}";
    }

    private static String line(String sku, int quantity, String unitPrice) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + ",\"unitPrice\":" + unitPrice + "}";
    }

    private Response post(String key, String body) {
        return send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Response(int status, HttpResponse<String> raw) {
        JsonNode json() {
            return JsonMapper.shared().readTree(raw.body());
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }
}

package io.txlab.loadtests.audit;

import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.loadtests.report.Results;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auditor against real PostgreSQL databases built from the services' own Flyway migrations, seeded with one
 * broken state per invariant: each must be reported, with the order id (or SKU, customer, gid) that breaks it.
 */
class AuditorIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private Database orders;
    private Database inventory;
    private Database payment;
    private Database cockroach;
    private String gid;

    @BeforeEach
    void databases() throws Exception {
        orders = TestInfra.postgres().freshDatabase("audit_orders");
        inventory = TestInfra.postgres().freshDatabase("audit_inventory");
        payment = TestInfra.postgres().freshDatabase("audit_payment");
        cockroach = TestInfra.postgres().freshDatabase("audit_cockroach");
        migrate(orders, "order-service");
        migrate(inventory, "inventory-service");
        migrate(payment, "payment-service");
    }

    @AfterEach
    void rollbackPrepared() throws SQLException {
        if (gid != null) {
            try (Connection c = connect(orders); Statement st = c.createStatement()) {
                st.execute("ROLLBACK PREPARED '" + gid + "'");
            }
        }
    }

    @Test
    void aConsistentStateIsClean() throws Exception {
        UUID ok = UUID.randomUUID();
        confirmedCorrectly(ok, "orchestration");

        Results.Audit audit = auditor().audit("clean", null, Auditor.Baseline.NONE).audit();

        assertThat(audit.status()).as(audit.toString()).isEqualTo("CLEAN");
        assertThat(audit.checks()).filteredOn(c -> c.status().equals("FAIL")).isEmpty();
        assertThat(audit.checks()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("cockroach-ledger");
            assertThat(c.status()).isEqualTo("SKIPPED");
            assertThat(c.detail()).contains("not available");
        });
    }

    @Test
    void reportsEveryViolationItIsGivenWithTheOrderIds() throws Exception {
        UUID confirmedUnpaid = UUID.randomUUID();
        order(confirmedUnpaid, "choreography", "CONFIRMED", "20.00");
        exec(payment, "INSERT INTO payment (order_id, customer_id, amount, status, reason) VALUES ('" + confirmedUnpaid
                + "', 'C-0001', 20.00, 'DECLINED', 'INSUFFICIENT_FUNDS')");
        reserve(confirmedUnpaid, "SKU-0001", 1);

        UUID cancelledCharged = UUID.randomUUID();
        order(cancelledCharged, "outbox", "CANCELLED", "30.00");
        charge(cancelledCharged, "C-0002", "30.00");

        UUID cancelledHolding = UUID.randomUUID();
        order(cancelledHolding, "twopc", "CANCELLED", "12.00");
        reserve(cancelledHolding, "SKU-0002", 2);

        UUID fine = UUID.randomUUID();
        confirmedCorrectly(fine, "orchestration");

        UUID pending = UUID.randomUUID();
        order(pending, "choreography", "PENDING", "10.00");

        UUID orphan = UUID.randomUUID();
        charge(orphan, "C-0003", "15.00");

        exec(inventory, "UPDATE product SET available = available - 3 WHERE sku = 'SKU-0005'");
        exec(payment, "UPDATE account SET balance = balance - 50 WHERE customer_id = 'C-0009'");

        try (Connection c = connect(orders); Statement st = c.createStatement()) {
            String id = "txlab-audit-" + UUID.randomUUID();
            st.execute("CREATE TABLE prepared_probe (i int)");
            st.execute("BEGIN");
            st.execute("INSERT INTO prepared_probe VALUES (1)");
            st.execute("PREPARE TRANSACTION '" + id + "'");
            gid = id;
        }

        Results.Audit audit = auditor().audit("broken", null, Auditor.Baseline.NONE).audit();

        assertThat(audit.status()).isEqualTo("VIOLATIONS");
        assertFails(audit, "confirmed-has-authorized-payment", "choreography", confirmedUnpaid.toString());
        assertFails(audit, "cancelled-not-charged", "outbox", cancelledCharged.toString());
        assertFails(audit, "cancelled-holds-no-stock", "twopc", cancelledHolding.toString());
        assertFails(audit, "every-order-final", "choreography", pending.toString());
        assertFails(audit, "no-charge-without-order", "services", orphan.toString());
        assertFails(audit, "stock-conserved", "services", "SKU-0005");
        assertFails(audit, "money-conserved", "services", "C-0009");
        assertFails(audit, "no-double-charge", "services", "C-0009");
        assertFails(audit, "no-prepared-transaction-left", "*", gid);
        assertThat(audit.checks()).filteredOn(c -> c.flow().equals("orchestration") && c.status().equals("FAIL")).isEmpty();
        assertThat(audit.violationsByFlow()).containsEntry("outbox", 1L).containsEntry("twopc", 1L);
    }

    @Test
    void afterABaselineOnlyNewConservationGapsCount() throws Exception {
        exec(inventory, "UPDATE product SET available = available - 3 WHERE sku = 'SKU-0005'");
        Auditor.Outcome first = auditor().audit("first", null, Auditor.Baseline.NONE);
        exec(inventory, "UPDATE product SET available = available - 1 WHERE sku = 'SKU-0007'");

        Results.Audit second = auditor().audit("second", null, first.baseline()).audit();

        Results.Check stock = second.checks().stream().filter(c -> c.name().equals("stock-conserved")).findFirst().orElseThrow();
        assertThat(stock.violations()).isEqualTo(1);
        assertThat(stock.examples()).singleElement().asString().contains("SKU-0007");
    }

    @Test
    void checksTheCockroachLedgerWhenItsTablesExist() throws Exception {
        migrate(cockroach, "inventory-service");
        migrate(cockroach, "payment-service");
        UUID unpaid = UUID.randomUUID();
        order(unpaid, "cockroach", "CONFIRMED", "11.00");

        Results.Audit audit = auditor().audit("cockroach", java.util.Set.of("cockroach"), Auditor.Baseline.NONE).audit();

        assertFails(audit, "confirmed-has-authorized-payment", "cockroach", unpaid.toString());
        assertFails(audit, "confirmed-has-reservation", "cockroach", unpaid.toString());
    }

    private void confirmedCorrectly(UUID id, String flow) throws SQLException {
        order(id, flow, "CONFIRMED", "22.00");
        reserve(id, "SKU-0003", 2);
        charge(id, "C-0004", "22.00");
    }

    private static void assertFails(Results.Audit audit, String check, String flow, String example) {
        assertThat(audit.checks()).as(check + " for " + flow).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo(check);
            assertThat(c.flow()).isEqualTo(flow);
            assertThat(c.status()).isEqualTo("FAIL");
            assertThat(String.join(" ", c.examples())).contains(example);
        });
    }

    private Auditor auditor() {
        return new Auditor(new AuditDatabases(orders.jdbcUrl(), inventory.jdbcUrl(), payment.jdbcUrl(), cockroach.jdbcUrl(),
                Map.of("test-postgres", orders.jdbcUrl()), orders.username(), orders.password()));
    }

    private void order(UUID id, String flow, String status, String total) throws SQLException {
        exec(orders, "INSERT INTO purchase_order (id, customer_id, flow, status, total, created_at, completed_at, idempotency_key) "
                + "VALUES ('" + id + "', 'C-0001', '" + flow + "', '" + status + "', " + total + ", now(), "
                + (status.equals("PENDING") ? "null" : "now()") + ", 'k-" + id + "')");
    }

    private void reserve(UUID id, String sku, int qty) throws SQLException {
        Database db = inventory;
        exec(db, "INSERT INTO reservation (order_id, status) VALUES ('" + id + "', 'RESERVED')");
        exec(db, "INSERT INTO reservation_line (order_id, sku, quantity) VALUES ('" + id + "', '" + sku + "', " + qty + ")");
        exec(db, "UPDATE product SET available = available - " + qty + " WHERE sku = '" + sku + "'");
    }

    private void charge(UUID id, String customer, String amount) throws SQLException {
        exec(payment, "INSERT INTO payment (order_id, customer_id, amount, status) VALUES ('" + id + "', '" + customer + "', "
                + amount + ", 'AUTHORIZED')");
        exec(payment, "UPDATE account SET balance = balance - " + amount + " WHERE customer_id = '" + customer + "'");
    }

    private static void migrate(Database db, String module) throws IOException, SQLException {
        Path dir = REPO.resolve(module).resolve("src/main/resources/db/migration");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        }
        for (Path f : files) {
            exec(db, Files.readString(f));
        }
    }

    private static void exec(Database db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Connection connect(Database db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }
}

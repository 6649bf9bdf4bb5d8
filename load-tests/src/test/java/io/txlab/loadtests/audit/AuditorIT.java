package io.txlab.loadtests.audit;

import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.support.Migrations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auditor against real PostgreSQL databases built from the services' own Flyway migrations (the cockroach
 * flow's database from the same files, as order-service's {@code CockroachSchema} builds it), seeded with one broken state per invariant: each must be
 * reported, with the order id (or SKU, customer, gid) that breaks it.
 */
class AuditorIT {

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
        Migrations.service(orders, "order-service");
        Migrations.service(inventory, "inventory-service");
        Migrations.service(payment, "payment-service");
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
        Migrations.cockroach(cockroach);
        confirmedCorrectly(UUID.randomUUID(), "orchestration");
        cockroachConfirmed(UUID.randomUUID(), "C-0005", "SKU-0005", 2, "11.50");
        cockroachCancelled(UUID.randomUUID(), "BROKE-01", "SKU-0006", 1, "10.00", "INSUFFICIENT_FUNDS");

        Results.Audit audit = auditor().audit("clean", null, Auditor.Baseline.NONE).audit();

        assertThat(audit.status()).as(audit.toString()).isEqualTo("CLEAN");
        assertThat(audit.detail()).isEqualTo("3 orders checked");
        assertThat(audit.checks()).filteredOn(c -> !c.status().equals("PASS")).isEmpty();
        assertThat(audit.checks()).filteredOn(c -> c.flow().equals("cockroach")).extracting(Results.Check::name)
                .contains("confirmed-has-authorized-payment", "payment-equals-order-total", "cancelled-not-charged",
                        "no-charge-without-order", "no-double-charge", "stock-conserved", "money-conserved",
                        "every-order-final", "cockroach-orders-only-in-own-database",
                        // the same reservation checks as the services' ledger: the same tables, written by the same core
                        "confirmed-has-reservation", "cancelled-holds-no-stock", "no-stock-held-without-order");
    }

    @Test
    void skipsTheCockroachLedgerWhenItsDatabaseIsNotMigrated() throws Exception {
        confirmedCorrectly(UUID.randomUUID(), "orchestration");

        Results.Audit audit = auditor().audit("unmigrated", null, Auditor.Baseline.NONE).audit();

        assertThat(audit.status()).as(audit.toString()).isEqualTo("CLEAN");
        assertThat(audit.checks()).anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("cockroach-ledger");
            assertThat(c.flow()).isEqualTo("cockroach");
            assertThat(c.status()).isEqualTo("SKIPPED");
            assertThat(c.detail()).contains("not available", "purchase_order", "order_line");
        });
    }

    @Test
    void skipsTheCockroachLedgerWhenItsDatabaseIsUnreachable() {
        Auditor unreachable = new Auditor(new AuditDatabases(orders.jdbcUrl(), inventory.jdbcUrl(), payment.jdbcUrl(),
                "jdbc:postgresql://127.0.0.1:1/txlab", Map.of(), orders.username(), orders.password()));

        Results.Audit audit = unreachable.audit("cockroach", Set.of("cockroach"), Auditor.Baseline.NONE).audit();

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
        assertThat(audit.checks()).as("a PENDING order is listed, not counted as a violation").anySatisfy(c -> {
            assertThat(c.name()).isEqualTo("every-order-final");
            assertThat(c.flow()).isEqualTo("choreography");
            assertThat(c.status()).isEqualTo("NOT_FINAL");
            assertThat(c.examples()).contains(pending.toString());
        });
        assertFails(audit, "no-charge-without-order", "services", orphan.toString());
        assertFails(audit, "stock-conserved", "services", "SKU-0005");
        assertFails(audit, "money-conserved", "services", "C-0009");
        assertFails(audit, "no-double-charge", "services", "C-0009");
        assertFails(audit, "no-prepared-transaction-left", "*", gid);
        assertThat(audit.checks()).filteredOn(c -> c.flow().equals("orchestration") && c.status().equals("FAIL")).isEmpty();
        assertThat(audit.violationsByFlow()).containsEntry("outbox", 1L).containsEntry("twopc", 1L)
                .containsEntry("choreography", 1L);
    }

    @Test
    void anAuditorOfOneRunListsOnlyThatRunsPendingOrdersAndMentionsEarlierOnes() throws Exception {
        UUID earlier = UUID.randomUUID();
        UUID ours = UUID.randomUUID();
        order(earlier, "outbox", "PENDING", "10.00", "cmpold-chaos-7");
        order(ours, "outbox", "PENDING", "10.00", "cmpnew-latency-1-3");
        Auditor ofRun = new Auditor(auditDatabases(), "cmpnew");

        Results.Check outbox = ofRun.audit("run", Set.of("outbox"), Auditor.Baseline.NONE).audit().checks().stream()
                .filter(c -> c.name().equals("every-order-final") && c.flow().equals("outbox")).findFirst().orElseThrow();

        assertThat(outbox.status()).isEqualTo("NOT_FINAL");
        assertThat(outbox.examples()).containsExactly(ours.toString());
        assertThat(outbox.detail()).contains("1 PENDING order(s) of earlier runs");
        assertThat(auditor().audit("all", Set.of("outbox"), Auditor.Baseline.NONE).audit().checks())
                .as("without a run, every PENDING order is listed")
                .anySatisfy(c -> assertThat(c.examples()).contains(earlier.toString(), ours.toString()));
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
    void reportsEveryCockroachViolationFromItsOwnDatabase() throws Exception {
        Migrations.cockroach(cockroach);
        UUID fine = UUID.randomUUID();
        cockroachConfirmed(fine, "C-0010", "SKU-0010", 1, "20.00");

        UUID unpaid = UUID.randomUUID();
        cockroachOrder(unpaid, "C-0011", "CONFIRMED", null, "SKU-0011", 2, "10.50");
        cockroachReserve(unpaid, "SKU-0011", 2);

        UUID cancelledCharged = UUID.randomUUID();
        cockroachOrder(cancelledCharged, "C-0012", "CANCELLED", "OUT_OF_STOCK", "SKU-0012", 1, "30.00");
        cockroachCharge(cancelledCharged, "C-0012", "30.00");

        UUID cancelledHolding = UUID.randomUUID();
        cockroachOrder(cancelledHolding, "C-0013", "CANCELLED", "INSUFFICIENT_FUNDS", "SKU-0013", 3, "10.00");
        cockroachReserve(cancelledHolding, "SKU-0013", 3);

        // stock taken and money charged, but no reservation holds the stock
        UUID unreserved = UUID.randomUUID();
        cockroachOrder(unreserved, "C-0014", "CONFIRMED", null, "SKU-0014", 1, "10.00");
        takeStock("SKU-0014", 1);
        cockroachCharge(unreserved, "C-0014", "10.00");

        UUID orphan = UUID.randomUUID();
        cockroachCharge(orphan, "C-0015", "15.00");

        exec(cockroach, "UPDATE account SET balance = balance - 50 WHERE customer_id = 'C-0016'");

        UUID stray = UUID.randomUUID();
        order(stray, "cockroach", "CONFIRMED", "10.00");

        Results.Audit audit = auditor().audit("cockroach", Set.of("cockroach"), Auditor.Baseline.NONE).audit();

        assertThat(audit.status()).isEqualTo("VIOLATIONS");
        assertFails(audit, "confirmed-has-authorized-payment", "cockroach", unpaid.toString());
        assertFails(audit, "cancelled-not-charged", "cockroach", cancelledCharged.toString());
        assertFails(audit, "cancelled-holds-no-stock", "cockroach", cancelledHolding.toString());
        assertFails(audit, "confirmed-has-reservation", "cockroach", unreserved.toString());
        assertFails(audit, "stock-conserved", "cockroach", "SKU-0014");
        assertFails(audit, "no-charge-without-order", "cockroach", orphan.toString());
        assertFails(audit, "money-conserved", "cockroach", "C-0016");
        assertFails(audit, "no-double-charge", "cockroach", "C-0016");
        assertFails(audit, "cockroach-orders-only-in-own-database", "cockroach", stray.toString());
        Results.Check stock = audit.checks().stream()
                .filter(c -> c.name().equals("stock-conserved") && c.flow().equals("cockroach")).findFirst().orElseThrow();
        // the stock the cancelled order holds is accounted for by its reservation: the unreserved take is the only gap
        assertThat(stock.examples()).singleElement().asString().contains("SKU-0014 off by 1");
        assertThat(String.join(" ", audit.checks().stream().flatMap(c -> c.examples().stream()).toList()))
                .doesNotContain(fine.toString());
        // a cockroach-only audit does not look at the services' ledgers
        assertThat(audit.checks()).noneMatch(c -> c.flow().equals("services"));
        assertThat(audit.detail()).isEqualTo("5 orders checked");
    }

    @Test
    void afterABaselineOnlyNewCockroachConservationGapsCount() throws Exception {
        Migrations.cockroach(cockroach);
        exec(cockroach, "UPDATE product SET available = available - 3 WHERE sku = 'SKU-0005'");
        exec(cockroach, "UPDATE account SET balance = balance - 5 WHERE customer_id = 'C-0005'");
        Auditor.Outcome first = auditor().audit("first", Set.of("cockroach"), Auditor.Baseline.NONE);
        assertFails(first.audit(), "stock-conserved", "cockroach", "SKU-0005");
        exec(cockroach, "UPDATE product SET available = available - 1 WHERE sku = 'SKU-0007'");

        Results.Audit second = auditor().audit("second", Set.of("cockroach"), first.baseline()).audit();

        Results.Check stock = second.checks().stream().filter(c -> c.name().equals("stock-conserved")).findFirst().orElseThrow();
        assertThat(stock.examples()).singleElement().asString().contains("SKU-0007");
        Results.Check money = second.checks().stream().filter(c -> c.name().equals("money-conserved")).findFirst().orElseThrow();
        assertThat(money.status()).isEqualTo("PASS");
    }

    @Test
    void returnedTellsWhatIsStillHeldAndWhenTheRestCameBackIgnoringTombstones() throws Exception {
        UUID held = UUID.randomUUID();
        UUID released = UUID.randomUUID();
        UUID refunded = UUID.randomUUID();
        UUID tombstones = UUID.randomUUID();
        UUID unknown = UUID.randomUUID();
        reserve(held, "SKU-0001", 1);
        charge(held, "C-0001", "10.00");
        reserve(released, "SKU-0002", 1);
        exec(inventory, "UPDATE reservation SET status = 'RELEASED', released_at = '2026-12-01T10:00:00Z' WHERE order_id = '" + released + "'");
        charge(refunded, "C-0002", "5.00");
        exec(payment, "UPDATE payment SET status = 'REFUNDED', refunded_at = '2026-12-01T10:00:02Z' WHERE order_id = '" + refunded + "'");
        // a release and a refund that arrived before anything was held: rows without stock or money
        exec(inventory, "INSERT INTO reservation (order_id, status, released_at) VALUES ('" + tombstones + "', 'RELEASED', now())");
        exec(payment, "INSERT INTO payment (order_id, amount, status, refunded_at) VALUES ('" + tombstones + "', 0, 'REFUNDED', now())");

        Map<UUID, Auditor.Returned> returned = auditor().returned(List.of(held, released, refunded, tombstones, unknown));

        assertThat(returned).containsEntry(held, new Auditor.Returned(null, true))
                .containsEntry(released, new Auditor.Returned(Instant.parse("2026-12-01T10:00:00Z"), false))
                .containsEntry(refunded, new Auditor.Returned(Instant.parse("2026-12-01T10:00:02Z"), false))
                .containsEntry(tombstones, new Auditor.Returned(null, false))
                .containsEntry(unknown, new Auditor.Returned(null, false));
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
        return new Auditor(auditDatabases());
    }

    private AuditDatabases auditDatabases() {
        return new AuditDatabases(orders.jdbcUrl(), inventory.jdbcUrl(), payment.jdbcUrl(), cockroach.jdbcUrl(),
                Map.of("test-postgres", orders.jdbcUrl()), orders.username(), orders.password());
    }

    private void order(UUID id, String flow, String status, String total) throws SQLException {
        order(id, flow, status, total, "k-" + id);
    }

    private void order(UUID id, String flow, String status, String total, String idempotencyKey) throws SQLException {
        exec(orders, "INSERT INTO purchase_order (id, customer_id, flow, status, total, created_at, completed_at, idempotency_key) "
                + "VALUES ('" + id + "', 'C-0001', '" + flow + "', '" + status + "', " + total + ", now(), "
                + (status.equals("PENDING") ? "null" : "now()") + ", '" + idempotencyKey + "')");
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

    /**
     * A cockroach order placed correctly: order and line, the inventory core's reservation (stock taken), the payment
     * core's payment (balance debited), all in its database.
     */
    private void cockroachConfirmed(UUID id, String customer, String sku, int qty, String unitPrice) throws SQLException {
        cockroachOrder(id, customer, "CONFIRMED", null, sku, qty, unitPrice);
        cockroachReserve(id, sku, qty);
        cockroachCharge(id, customer, total(unitPrice, qty));
    }

    private void cockroachReserve(UUID id, String sku, int qty) throws SQLException {
        exec(cockroach, "INSERT INTO reservation (order_id, status) VALUES ('" + id + "', 'RESERVED')");
        exec(cockroach, "INSERT INTO reservation_line (order_id, sku, quantity) VALUES ('" + id + "', '" + sku + "', "
                + qty + ")");
        takeStock(sku, qty);
    }

    /** A cockroach order refused: its transaction wrote the order and its lines, nothing else (all else rolled back). */
    private void cockroachCancelled(UUID id, String customer, String sku, int qty, String unitPrice, String reason)
            throws SQLException {
        cockroachOrder(id, customer, "CANCELLED", reason, sku, qty, unitPrice);
    }

    private void cockroachOrder(UUID id, String customer, String status, String reason, String sku, int qty,
                                String unitPrice) throws SQLException {
        exec(cockroach, "INSERT INTO purchase_order (id, customer_id, flow, status, reason, total, created_at, completed_at, "
                + "idempotency_key, retries) VALUES ('" + id + "', '" + customer + "', 'cockroach', '" + status + "', "
                + (reason == null ? "null" : "'" + reason + "'") + ", " + total(unitPrice, qty) + ", now(), now(), 'k-" + id + "', 0)");
        exec(cockroach, "INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price) VALUES ('" + id + "', 1, '"
                + sku + "', " + qty + ", " + unitPrice + ")");
    }

    private static String total(String unitPrice, int qty) {
        return new BigDecimal(unitPrice).multiply(BigDecimal.valueOf(qty)).toPlainString();
    }

    private void takeStock(String sku, int qty) throws SQLException {
        exec(cockroach, "UPDATE product SET available = available - " + qty + " WHERE sku = '" + sku + "'");
    }

    private void cockroachCharge(UUID id, String customer, String amount) throws SQLException {
        exec(cockroach, "INSERT INTO payment (order_id, customer_id, amount, status, created_at) VALUES ('" + id + "', '"
                + customer + "', " + amount + ", 'AUTHORIZED', now())");
        exec(cockroach, "UPDATE account SET balance = balance - " + amount + " WHERE customer_id = '" + customer + "'");
    }

    private static void exec(Database db, String sql) throws SQLException {
        Migrations.exec(db, sql);
    }

    private static Connection connect(Database db) throws SQLException {
        return Migrations.connect(db);
    }
}

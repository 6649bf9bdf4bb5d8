package io.txlab.loadtests.audit;

import static io.txlab.loadtests.audit.AuditChecks.columnExists;
import static io.txlab.loadtests.audit.AuditChecks.conservation;
import static io.txlab.loadtests.audit.AuditChecks.crossCheck;
import static io.txlab.loadtests.audit.AuditChecks.discrepancies;
import static io.txlab.loadtests.audit.AuditChecks.doubleCharge;
import static io.txlab.loadtests.audit.AuditChecks.loadPayments;
import static io.txlab.loadtests.audit.AuditChecks.moneyDiscrepancies;

import io.txlab.loadtests.audit.AuditChecks.Ledger;
import io.txlab.loadtests.audit.AuditChecks.OrderRow;
import io.txlab.loadtests.report.Results;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The ledger of the four flows over the services' databases: inventory's reservations and stock, payment's payments
 * and balances, checked against the orders of order-service's database.
 */
final class ServiceLedgerAudit {

    /** Stock and money discrepancies found, for the next audit's baseline. */
    record Gaps(Map<String, BigDecimal> stock, Map<String, BigDecimal> money) {
    }

    private ServiceLedgerAudit() {
    }

    /**
     * Adds the order cross checks of {@code orders} in {@code flows}, stock and money conservation against
     * {@code previous}, and the double-charge check.
     */
    static Gaps audit(Connection inventory, Connection payment, List<OrderRow> orders, Predicate<String> flows,
                      Auditor.Baseline previous, List<Results.Check> checks) throws SQLException {
        Ledger ledger = loadLedger(payment, inventory);
        crossCheck(checks, orders, ledger, flows, "services");
        Map<String, BigDecimal> stock = stockDiscrepancies(inventory);
        Map<String, BigDecimal> money = moneyDiscrepancies(payment);
        checks.add(conservation("stock-conserved", "services", stock, previous.stock(), "SKU"));
        checks.add(conservation("money-conserved", "services", money, previous.money(), "customer"));
        checks.add(doubleCharge("services", money, previous.money(), ledger));
        return new Gaps(stock, money);
    }

    static Ledger loadLedger(Connection payment, Connection inventory) throws SQLException {
        Map<String, String> reservation = new HashMap<>();
        try (Statement st = inventory.createStatement();
             ResultSet rs = st.executeQuery("SELECT order_id::text, status FROM reservation")) {
            while (rs.next()) {
                reservation.merge(rs.getString(1), rs.getString(2), (a, b) -> a.equals("RESERVED") ? a : b);
            }
        }
        return loadPayments(payment, reservation);
    }

    /** initial - available - held, per SKU, only where it is not zero. */
    static Map<String, BigDecimal> stockDiscrepancies(Connection c) throws SQLException {
        String initial = columnExists(c, "product", "initial_stock") ? "p.initial_stock" : SeedDefinition.INITIAL_STOCK_SQL;
        return discrepancies(c, "SELECT p.sku, (" + initial + ") - p.available - coalesce(h.qty, 0) FROM product p "
                + "LEFT JOIN (SELECT l.sku, sum(l.quantity) AS qty FROM reservation_line l JOIN reservation r "
                + "ON r.order_id = l.order_id WHERE r.status = 'RESERVED' GROUP BY l.sku) h ON h.sku = p.sku");
    }
}

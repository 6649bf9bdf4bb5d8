package io.txlab.loadtests.audit;

import static io.txlab.loadtests.audit.AuditChecks.check;
import static io.txlab.loadtests.audit.AuditChecks.conservation;
import static io.txlab.loadtests.audit.AuditChecks.crossCheck;
import static io.txlab.loadtests.audit.AuditChecks.discrepancies;
import static io.txlab.loadtests.audit.AuditChecks.doubleCharge;
import static io.txlab.loadtests.audit.AuditChecks.loadOrders;
import static io.txlab.loadtests.audit.AuditChecks.loadPayments;
import static io.txlab.loadtests.audit.AuditChecks.moneyDiscrepancies;
import static io.txlab.loadtests.audit.AuditChecks.tableExists;
import static io.txlab.loadtests.audit.AuditChecks.viewExists;

import io.txlab.loadtests.audit.AuditChecks.Ledger;
import io.txlab.loadtests.audit.AuditChecks.OrderRow;
import io.txlab.loadtests.report.Results;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cockroach flow's ledger: the whole order in its own database ({@code purchase_order}, {@code order_line},
 * {@code product}, {@code account}, {@code payment}; order-service {@code db/cockroach}). That database has no
 * reservation table: the stock a CONFIRMED order holds is its {@code order_line} rows, taken in the same transaction,
 * so the reservation checks fold into {@code stock-conserved} (initial = available + lines of CONFIRMED orders) plus
 * an order-level {@code confirmed-has-order-lines}. When the database is absent, unreachable or not migrated, its
 * checks are reported as skipped with the reason.
 */
final class CockroachLedgerAudit {

    /** The flow's tables, all in its own database (order-service {@code db/cockroach/V1__schema.sql}). */
    private static final List<String> TABLES = List.of("purchase_order", "order_line", "product", "account", "payment");

    /** Opens a connection to a database URL with the audit's credentials. */
    @FunctionalInterface
    interface Connector {
        Connection open(String url) throws SQLException;
    }

    /** The baseline after this audit and how many cockroach orders it checked. */
    record Result(Auditor.Baseline baseline, long orders) {
    }

    private CockroachLedgerAudit() {
    }

    /**
     * Adds the cockroach ledger's checks; {@code notFinal} lists its PENDING orders the way the run counts them.
     *
     * @return the new baseline (cockroach part replaced) and how many orders were checked
     */
    static Result audit(Connector connector, String url, Auditor.Baseline previous, Auditor.Baseline next,
                        Function<List<OrderRow>, List<Results.Check>> notFinal, List<Results.Check> checks) {
        if (url == null) {
            checks.add(skipped("cockroach-ledger", "no cockroach database in this stack"));
            return new Result(next, 0);
        }
        try (Connection c = connector.open(url)) {
            List<String> missing = new ArrayList<>();
            for (String table : TABLES) {
                if (!tableExists(c, table)) {
                    missing.add(table);
                }
            }
            if (!missing.isEmpty()) {
                checks.add(skipped("cockroach-ledger", "not available: table(s) " + String.join(", ", missing)
                        + " not in the cockroach database (not migrated yet?)"));
                return new Result(next, 0);
            }
            List<OrderRow> orders = loadOrders(c);
            Ledger ledger = loadPayments(c, Map.of());
            crossCheck(checks, orders, ledger, f -> true, Auditor.COCKROACH);
            checks.add(check("confirmed-has-order-lines", Auditor.COCKROACH, confirmedWithoutLines(c),
                    "a CONFIRMED order holds its stock through its order_line rows (there is no reservation)"));
            Map<String, BigDecimal> stock = cockroachStockDiscrepancies(c);
            Map<String, BigDecimal> money = cockroachMoneyDiscrepancies(c);
            checks.add(conservation("stock-conserved", Auditor.COCKROACH, stock, previous.cockroachStock(), "SKU",
                    "initial_stock = available + order_line quantities of CONFIRMED orders. No reservation table here: "
                            + "this check stands for confirmed-has-reservation, cancelled-holds-no-stock and "
                            + "no-stock-held-without-order (per SKU, not per order)"));
            checks.add(conservation("money-conserved", Auditor.COCKROACH, money, previous.cockroachMoney(), "customer",
                    "initial_balance = balance + AUTHORIZED payments"));
            checks.add(doubleCharge(Auditor.COCKROACH, money, previous.cockroachMoney(), ledger));
            checks.addAll(notFinal.apply(orders));
            return new Result(new Auditor.Baseline(next.stock(), next.money(), stock, money), orders.size());
        } catch (SQLException e) {
            checks.add(skipped("cockroach-ledger", "not available: " + e.getMessage()));
            return new Result(next, 0);
        }
    }

    /** The cockroach flow never writes to the orders database; a row there means something placed it on the wrong path. */
    static Results.Check strayCockroachOrders(List<OrderRow> ordersDb) {
        List<String> stray = ordersDb.stream().filter(o -> o.flow().equals(Auditor.COCKROACH))
                .map(o -> o.id() + " status=" + o.status()).toList();
        return check("cockroach-orders-only-in-own-database", Auditor.COCKROACH, stray,
                "orders with flow=cockroach in the orders database (they belong in the cockroach database)");
    }

    static List<String> confirmedWithoutLines(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT o.id::text FROM purchase_order o WHERE o.status = 'CONFIRMED' "
                     + "AND NOT EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.id) ORDER BY o.created_at")) {
            while (rs.next()) {
                ids.add(rs.getString(1) + " has no order_line");
            }
        }
        return ids;
    }

    /**
     * initial_stock - available - order_line quantities of CONFIRMED orders, per SKU, only where it is not zero: the
     * schema's own view {@code stock_conservation} when it is there, else the same query.
     */
    static Map<String, BigDecimal> cockroachStockDiscrepancies(Connection c) throws SQLException {
        if (viewExists(c, "stock_conservation")) {
            return discrepancies(c, "SELECT sku, discrepancy FROM stock_conservation");
        }
        return discrepancies(c, "SELECT p.sku, p.initial_stock - p.available - coalesce(s.qty, 0) FROM product p "
                + "LEFT JOIN (SELECT l.sku, sum(l.quantity) AS qty FROM order_line l JOIN purchase_order o "
                + "ON o.id = l.order_id WHERE o.status = 'CONFIRMED' GROUP BY l.sku) s ON s.sku = p.sku");
    }

    /** initial_balance - balance - AUTHORIZED payments, per customer: view {@code money_conservation} or the same query. */
    static Map<String, BigDecimal> cockroachMoneyDiscrepancies(Connection c) throws SQLException {
        if (viewExists(c, "money_conservation")) {
            return discrepancies(c, "SELECT customer_id, discrepancy FROM money_conservation");
        }
        return moneyDiscrepancies(c);
    }

    static Results.Check skipped(String name, String why) {
        return new Results.Check(name, Auditor.COCKROACH, "SKIPPED", 0, List.of(), why);
    }
}

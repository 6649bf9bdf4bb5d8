package io.txlab.loadtests.audit;

import static io.txlab.loadtests.audit.AuditChecks.check;
import static io.txlab.loadtests.audit.AuditChecks.conservation;
import static io.txlab.loadtests.audit.AuditChecks.crossCheck;
import static io.txlab.loadtests.audit.AuditChecks.doubleCharge;
import static io.txlab.loadtests.audit.AuditChecks.loadOrders;
import static io.txlab.loadtests.audit.AuditChecks.moneyDiscrepancies;
import static io.txlab.loadtests.audit.AuditChecks.tableExists;

import io.txlab.loadtests.audit.AuditChecks.Ledger;
import io.txlab.loadtests.audit.AuditChecks.OrderRow;
import io.txlab.loadtests.report.Results;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The cockroach flow's ledger: the whole order in its own database. Its tables come from the same schema files as
 * the services' (order-service's {@code CockroachSchema}) and its stock and money rows are written by the same
 * inventory and payment cores (ADR 29), so it is checked exactly as {@link ServiceLedgerAudit} checks the services,
 * with the three databases being one. When the database is absent, unreachable or not migrated, its checks are
 * reported as skipped with the reason.
 */
final class CockroachLedgerAudit {

    /** The flow's tables, all in its own database. */
    private static final List<String> TABLES = List.of("purchase_order", "order_line", "product", "reservation",
            "reservation_line", "account", "payment");

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
            Ledger ledger = ServiceLedgerAudit.loadLedger(c, c);
            crossCheck(checks, orders, ledger, f -> true, Auditor.COCKROACH);
            Map<String, BigDecimal> stock = ServiceLedgerAudit.stockDiscrepancies(c);
            Map<String, BigDecimal> money = moneyDiscrepancies(c);
            checks.add(conservation("stock-conserved", Auditor.COCKROACH, stock, previous.cockroachStock(), "SKU"));
            checks.add(conservation("money-conserved", Auditor.COCKROACH, money, previous.cockroachMoney(), "customer"));
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

    static Results.Check skipped(String name, String why) {
        return new Results.Check(name, Auditor.COCKROACH, "SKIPPED", 0, List.of(), why);
    }
}

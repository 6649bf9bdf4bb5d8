package io.txlab.loadtests.audit;

import io.txlab.loadtests.report.Results;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Checks the invariants every flow must keep, across all databases, with plain JDBC:
 * <ul>
 *   <li>stock conserved per SKU: initial = available + held by RESERVED reservations;</li>
 *   <li>money conserved per customer: initial = balance + AUTHORIZED payments (a negative gap is a double charge);</li>
 *   <li>every CONFIRMED order has its AUTHORIZED payment (of the order total) and its RESERVED reservation;</li>
 *   <li>every CANCELLED order has neither net (no AUTHORIZED payment, no RESERVED reservation);</li>
 *   <li>no order has two AUTHORIZED payments; no charge or stock hold without an order;</li>
 *   <li>no prepared transaction left on any cluster; no order still PENDING.</li>
 * </ul>
 * Order-level findings are counted per flow (the order's {@code flow} column) and listed with order ids. The
 * cockroach flow keeps its inventory and payments in its own database; its checks run there when the tables exist
 * and are reported as skipped otherwise. Conservation is per SKU / customer, not per order: a comparison audits
 * after every flow and attributes the <em>change</em> since the previous audit (see {@link Baseline}).
 */
public final class Auditor {

    public static final String COCKROACH = "cockroach";
    static final int MAX_EXAMPLES = 20;

    /** Discrepancies per SKU and per customer at one audit, so the next one can tell what changed since. */
    public record Baseline(Map<String, BigDecimal> stock, Map<String, BigDecimal> money,
                           Map<String, BigDecimal> cockroachStock, Map<String, BigDecimal> cockroachMoney) {

        public static final Baseline NONE = new Baseline(Map.of(), Map.of(), Map.of(), Map.of());
    }

    public record Outcome(Results.Audit audit, Baseline baseline) {
    }

    private record OrderRow(String id, String flow, String status, BigDecimal total) {
    }

    private record Ledger(Map<String, String> paymentStatus, Map<String, BigDecimal> paymentAmount,
                          Map<String, Integer> authorizedCount, Map<String, String> reservationStatus) {
    }

    private final AuditDatabases db;

    public Auditor(AuditDatabases db) {
        this.db = db;
    }

    /**
     * @param scope    a label for the report ("choreography", "final", ...)
     * @param flows    the flows whose orders are checked; null for all
     * @param previous the baseline from the previous audit: conservation checks report only what changed since
     *                 (pass {@link Baseline#NONE} for absolute numbers)
     */
    public Outcome audit(String scope, Set<String> flows, Baseline previous) {
        List<Results.Check> checks = new ArrayList<>();
        Predicate<String> inScope = f -> flows == null || flows.contains(f);
        List<OrderRow> orders;
        try (Connection c = connect(db.ordersUrl())) {
            orders = loadOrders(c);
        } catch (SQLException e) {
            return new Outcome(new Results.Audit(scope, "FAILED", "orders database unreachable: " + e.getMessage(),
                    List.of(), Map.of()), previous);
        }

        Baseline next = previous;
        boolean servicesInScope = flows == null || flows.stream().anyMatch(f -> !f.equals(COCKROACH));
        if (servicesInScope) {
            try (Connection inv = connect(db.inventoryUrl()); Connection pay = connect(db.paymentUrl())) {
                Ledger ledger = loadLedger(pay, inv);
                crossCheck(checks, orders, ledger, f -> !f.equals(COCKROACH) && inScope.test(f), false);
                Map<String, BigDecimal> stock = stockDiscrepancies(inv);
                Map<String, BigDecimal> money = moneyDiscrepancies(pay);
                checks.add(conservation("stock-conserved", "services", stock, previous.stock(), "SKU"));
                checks.add(conservation("money-conserved", "services", money, previous.money(), "customer"));
                checks.add(doubleCharge("services", money, previous.money(), ledger));
                next = new Baseline(stock, money, next.cockroachStock(), next.cockroachMoney());
            } catch (SQLException e) {
                checks.add(new Results.Check("service-ledgers", "services", "SKIPPED", 0, List.of(),
                        "inventory/payment databases unreachable: " + e.getMessage()));
            }
        }
        if (flows == null || flows.contains(COCKROACH)) {
            next = cockroachChecks(checks, orders, previous, next);
        }
        checks.add(preparedTransactions());
        checks.addAll(notFinal(orders, inScope));

        Map<String, Long> byFlow = new TreeMap<>();
        for (Results.Check check : checks) {
            if (check.status().equals("FAIL")) {
                byFlow.merge(check.flow(), check.violations(), Long::sum);
            }
        }
        boolean failed = checks.stream().anyMatch(ch -> ch.status().equals("FAIL"));
        return new Outcome(new Results.Audit(scope, failed ? "VIOLATIONS" : "CLEAN",
                orders.stream().filter(o -> inScope.test(o.flow())).count() + " orders checked", checks, byFlow), next);
    }

    private Baseline cockroachChecks(List<Results.Check> checks, List<OrderRow> orders, Baseline previous, Baseline next) {
        if (db.cockroachUrl() == null) {
            checks.add(skipped("cockroach-ledger", "no cockroach database in this stack"));
            return next;
        }
        try (Connection c = connect(db.cockroachUrl())) {
            List<String> missing = new ArrayList<>();
            for (String table : List.of("product", "reservation", "reservation_line", "account", "payment")) {
                if (!tableExists(c, table)) {
                    missing.add(table);
                }
            }
            if (!missing.isEmpty()) {
                checks.add(skipped("cockroach-ledger", "not available: table(s) " + String.join(", ", missing)
                        + " not in the cockroach database"));
                return next;
            }
            Ledger ledger = loadLedger(c, c);
            crossCheck(checks, orders, ledger, COCKROACH::equals, true);
            Map<String, BigDecimal> stock = stockDiscrepancies(c);
            Map<String, BigDecimal> money = moneyDiscrepancies(c);
            checks.add(conservation("stock-conserved", COCKROACH, stock, previous.cockroachStock(), "SKU"));
            checks.add(conservation("money-conserved", COCKROACH, money, previous.cockroachMoney(), "customer"));
            checks.add(doubleCharge(COCKROACH, money, previous.cockroachMoney(), ledger));
            return new Baseline(next.stock(), next.money(), stock, money);
        } catch (SQLException e) {
            checks.add(skipped("cockroach-ledger", "not available: " + e.getMessage()));
            return next;
        }
    }

    private static Results.Check skipped(String name, String why) {
        return new Results.Check(name, COCKROACH, "SKIPPED", 0, List.of(), why);
    }

    private void crossCheck(List<Results.Check> checks, List<OrderRow> orders, Ledger ledger, Predicate<String> flowFilter,
                            boolean cockroach) {
        Map<String, Map<String, List<String>>> found = new LinkedHashMap<>();
        Set<String> flowsSeen = new java.util.TreeSet<>();
        Set<String> orderIds = new java.util.HashSet<>();
        for (OrderRow o : orders) {
            orderIds.add(o.id());
            if (!flowFilter.test(o.flow())) {
                continue;
            }
            flowsSeen.add(o.flow());
            String payment = ledger.paymentStatus().get(o.id());
            String reservation = ledger.reservationStatus().get(o.id());
            if (o.status().equals("CONFIRMED")) {
                if (!"AUTHORIZED".equals(payment)) {
                    add(found, "confirmed-has-authorized-payment", o, o.id() + " payment=" + payment);
                } else if (ledger.paymentAmount().get(o.id()).compareTo(o.total()) != 0) {
                    add(found, "payment-equals-order-total", o, o.id() + " charged " + ledger.paymentAmount().get(o.id())
                            + " for total " + o.total());
                }
                if (!"RESERVED".equals(reservation)) {
                    add(found, "confirmed-has-reservation", o, o.id() + " reservation=" + reservation);
                }
            } else if (o.status().equals("CANCELLED")) {
                if ("AUTHORIZED".equals(payment)) {
                    add(found, "cancelled-not-charged", o, o.id() + " payment=AUTHORIZED");
                }
                if ("RESERVED".equals(reservation)) {
                    add(found, "cancelled-holds-no-stock", o, o.id() + " reservation=RESERVED");
                }
            }
        }
        List<String> checkNames = List.of("confirmed-has-authorized-payment", "payment-equals-order-total",
                "confirmed-has-reservation", "cancelled-not-charged", "cancelled-holds-no-stock");
        for (String flow : flowsSeen) {
            for (String name : checkNames) {
                List<String> ids = found.getOrDefault(name, Map.of()).getOrDefault(flow, List.of());
                checks.add(check(name, flow, ids, null));
            }
        }
        String scopeFlow = cockroach ? COCKROACH : "services";
        List<String> orphanCharges = new ArrayList<>();
        ledger.paymentStatus().forEach((id, status) -> {
            if (status.equals("AUTHORIZED") && !orderIds.contains(id)) {
                orphanCharges.add(id);
            }
        });
        List<String> orphanHolds = new ArrayList<>();
        ledger.reservationStatus().forEach((id, status) -> {
            if (status.equals("RESERVED") && !orderIds.contains(id)) {
                orphanHolds.add(id);
            }
        });
        checks.add(check("no-charge-without-order", scopeFlow, orphanCharges, "AUTHORIZED payments whose order does not exist"));
        checks.add(check("no-stock-held-without-order", scopeFlow, orphanHolds, "RESERVED reservations whose order does not exist"));
    }

    private static void add(Map<String, Map<String, List<String>>> found, String check, OrderRow o, String example) {
        found.computeIfAbsent(check, k -> new TreeMap<>()).computeIfAbsent(o.flow(), k -> new ArrayList<>()).add(example);
    }

    private static Results.Check check(String name, String flow, List<String> violations, String detail) {
        return new Results.Check(name, flow, violations.isEmpty() ? "PASS" : "FAIL", violations.size(),
                violations.stream().limit(MAX_EXAMPLES).toList(), detail);
    }

    private static Results.Check conservation(String name, String flow, Map<String, BigDecimal> now,
                                              Map<String, BigDecimal> before, String unit) {
        List<String> changed = new ArrayList<>();
        now.forEach((key, gap) -> {
            BigDecimal old = before.getOrDefault(key, BigDecimal.ZERO);
            if (gap.compareTo(old) != 0) {
                changed.add(unit + " " + key + " off by " + gap.toPlainString()
                        + (old.signum() != 0 ? " (was " + old.toPlainString() + ")" : ""));
            }
        });
        return check(name, flow, changed, before.isEmpty() ? "initial = on hand + held"
                : "initial = on hand + held; only changes since the previous audit are counted");
    }

    /** A customer with less money than initial minus what is held lost it to a charge nobody holds. */
    private static Results.Check doubleCharge(String flow, Map<String, BigDecimal> money, Map<String, BigDecimal> before,
                                              Ledger ledger) {
        List<String> found = new ArrayList<>();
        ledger.authorizedCount().forEach((order, n) -> {
            if (n > 1) {
                found.add("order " + order + " has " + n + " AUTHORIZED payments");
            }
        });
        money.forEach((customer, gap) -> {
            if (gap.signum() > 0 && gap.compareTo(before.getOrDefault(customer, BigDecimal.ZERO)) != 0) {
                found.add("customer " + customer + " debited " + gap.toPlainString() + " more than authorized");
            }
        });
        return check("no-double-charge", flow, found, null);
    }

    private Results.Check preparedTransactions() {
        List<String> found = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (Map.Entry<String, String> cluster : db.clusters().entrySet()) {
            try (Connection c = connect(cluster.getValue()); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT gid, database, prepared FROM pg_prepared_xacts ORDER BY prepared")) {
                while (rs.next()) {
                    found.add(cluster.getKey() + ": " + rs.getString(1) + " (db " + rs.getString(2) + ", prepared "
                            + rs.getTimestamp(3).toInstant() + ")");
                }
            } catch (SQLException e) {
                unreachable.add(cluster.getKey());
            }
        }
        return check("no-prepared-transaction-left", "*", found,
                unreachable.isEmpty() ? "pg_prepared_xacts on every cluster" : "unreachable: " + String.join(", ", unreachable));
    }

    private static List<Results.Check> notFinal(List<OrderRow> orders, Predicate<String> inScope) {
        Map<String, List<String>> byFlow = new TreeMap<>();
        for (OrderRow o : orders) {
            if (inScope.test(o.flow())) {
                List<String> pending = byFlow.computeIfAbsent(o.flow(), k -> new ArrayList<>());
                if (o.status().equals("PENDING")) {
                    pending.add(o.id());
                }
            }
        }
        List<Results.Check> checks = new ArrayList<>();
        byFlow.forEach((flow, ids) -> checks.add(check("every-order-final", flow, ids, "orders still PENDING when the audit ran")));
        return checks;
    }

    private static List<OrderRow> loadOrders(Connection c) throws SQLException {
        List<OrderRow> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id::text, flow, status, total FROM purchase_order")) {
            while (rs.next()) {
                rows.add(new OrderRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4)));
            }
        }
        return rows;
    }

    private static Ledger loadLedger(Connection payment, Connection inventory) throws SQLException {
        Map<String, String> paymentStatus = new HashMap<>();
        Map<String, BigDecimal> amount = new HashMap<>();
        Map<String, Integer> authorized = new HashMap<>();
        try (Statement st = payment.createStatement();
             ResultSet rs = st.executeQuery("SELECT order_id::text, status, amount FROM payment")) {
            while (rs.next()) {
                String id = rs.getString(1);
                String status = rs.getString(2);
                // several rows per order can only exist in a schema without the primary key; AUTHORIZED wins
                if (!"AUTHORIZED".equals(paymentStatus.get(id))) {
                    paymentStatus.put(id, status);
                    amount.put(id, rs.getBigDecimal(3));
                }
                if (status.equals("AUTHORIZED")) {
                    authorized.merge(id, 1, Integer::sum);
                }
            }
        }
        Map<String, String> reservation = new HashMap<>();
        try (Statement st = inventory.createStatement();
             ResultSet rs = st.executeQuery("SELECT order_id::text, status FROM reservation")) {
            while (rs.next()) {
                reservation.merge(rs.getString(1), rs.getString(2), (a, b) -> a.equals("RESERVED") ? a : b);
            }
        }
        return new Ledger(paymentStatus, amount, authorized, reservation);
    }

    /** initial - available - held, per SKU, only where it is not zero. */
    static Map<String, BigDecimal> stockDiscrepancies(Connection c) throws SQLException {
        String initial = columnExists(c, "product", "initial_stock") ? "p.initial_stock" : SeedDefinition.INITIAL_STOCK_SQL;
        return discrepancies(c, "SELECT p.sku, (" + initial + ") - p.available - coalesce(h.qty, 0) FROM product p "
                + "LEFT JOIN (SELECT l.sku, sum(l.quantity) AS qty FROM reservation_line l JOIN reservation r "
                + "ON r.order_id = l.order_id WHERE r.status = 'RESERVED' GROUP BY l.sku) h ON h.sku = p.sku");
    }

    /** initial - balance - authorized, per customer, only where it is not zero. */
    static Map<String, BigDecimal> moneyDiscrepancies(Connection c) throws SQLException {
        String initial = columnExists(c, "account", "initial_balance") ? "a.initial_balance" : SeedDefinition.INITIAL_BALANCE_SQL;
        return discrepancies(c, "SELECT a.customer_id, (" + initial + ") - a.balance - coalesce(h.amount, 0) FROM account a "
                + "LEFT JOIN (SELECT customer_id, sum(amount) AS amount FROM payment WHERE status = 'AUTHORIZED' "
                + "GROUP BY customer_id) h ON h.customer_id = a.customer_id");
    }

    private static Map<String, BigDecimal> discrepancies(Connection c, String sql) throws SQLException {
        Map<String, BigDecimal> gaps = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                BigDecimal gap = rs.getBigDecimal(2);
                if (gap.signum() != 0) {
                    gaps.put(rs.getString(1), gap);
                }
            }
        }
        return gaps;
    }

    static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static boolean columnExists(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Connection connect(String url) throws SQLException {
        if (url == null) {
            throw new SQLException("no database configured");
        }
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", db.user());
        p.setProperty("password", db.password());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(url, p);
    }
}

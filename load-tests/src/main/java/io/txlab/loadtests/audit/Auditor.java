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
 * Order-level findings are counted per flow (the order's {@code flow} column) and listed with order ids.
 * <p>
 * The cockroach flow keeps the whole order in its own database ({@code purchase_order}, {@code order_line},
 * {@code product}, {@code account}, {@code payment}; order-service {@code db/cockroach}), so its orders are read and
 * checked there, never in the orders database. That database has no reservation table: the stock a CONFIRMED order
 * holds is its {@code order_line} rows, taken in the same transaction. The reservation checks are therefore folded
 * into the cockroach {@code stock-conserved} check (initial = available + lines of CONFIRMED orders, which is also
 * what a CANCELLED order holding stock or a decrement without an order breaks), plus an order-level
 * {@code confirmed-has-order-lines}. When that database is absent, unreachable or not migrated, its checks are
 * reported as skipped with the reason.
 * <p>
 * Conservation is per SKU / customer, not per order: a comparison audits after every flow and attributes the
 * <em>change</em> since the previous audit (see {@link Baseline}).
 */
public final class Auditor {

    public static final String COCKROACH = "cockroach";
    static final int MAX_EXAMPLES = 20;

    /** The cockroach flow's tables, all in its own database (order-service {@code db/cockroach/V1__schema.sql}). */
    private static final List<String> COCKROACH_TABLES = List.of("purchase_order", "order_line", "product", "account", "payment");

    /** Discrepancies per SKU and per customer at one audit, so the next one can tell what changed since. */
    public record Baseline(Map<String, BigDecimal> stock, Map<String, BigDecimal> money,
                           Map<String, BigDecimal> cockroachStock, Map<String, BigDecimal> cockroachMoney) {

        public static final Baseline NONE = new Baseline(Map.of(), Map.of(), Map.of(), Map.of());
    }

    public record Outcome(Results.Audit audit, Baseline baseline) {
    }

    private record OrderRow(String id, String flow, String status, BigDecimal total, String idempotencyKey) {
    }

    private record Ledger(Map<String, String> paymentStatus, Map<String, BigDecimal> paymentAmount,
                          Map<String, Integer> authorizedCount, Map<String, String> reservationStatus) {
    }

    private final AuditDatabases db;
    /** Orders whose Idempotency-Key starts with {@code <run>-} belong to the audited run; null: every order does. */
    private final String run;

    public Auditor(AuditDatabases db) {
        this(db, null);
    }

    /**
     * An auditor of one run: the invariants are still checked over every order (stock and money are shared by all
     * runs against these databases), but "every order final" lists only the run's own PENDING orders - one lost by an
     * earlier run stays PENDING for good and is mentioned, not charged to this run.
     *
     * @param run the run's Idempotency-Key prefix (the comparison's run id); null for every order
     */
    public Auditor(AuditDatabases db, String run) {
        this.db = db;
        this.run = run;
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
        long checked = orders.stream().filter(o -> !o.flow().equals(COCKROACH) && inScope.test(o.flow())).count();
        boolean servicesInScope = flows == null || flows.stream().anyMatch(f -> !f.equals(COCKROACH));
        if (servicesInScope) {
            try (Connection inv = connect(db.inventoryUrl()); Connection pay = connect(db.paymentUrl())) {
                Ledger ledger = loadLedger(pay, inv);
                crossCheck(checks, orders, ledger, f -> !f.equals(COCKROACH) && inScope.test(f), "services");
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
            checks.add(strayCockroachOrders(orders));
            CockroachAudit cockroach = cockroachChecks(checks, previous, next);
            next = cockroach.baseline();
            checked += cockroach.orders();
        }
        checks.add(preparedTransactions());
        checks.addAll(notFinal(orders, f -> !f.equals(COCKROACH) && inScope.test(f)));

        Map<String, Long> byFlow = new TreeMap<>();
        for (Results.Check check : checks) {
            if (check.status().equals("FAIL")) {
                byFlow.merge(check.flow(), check.violations(), Long::sum);
            }
        }
        boolean failed = checks.stream().anyMatch(ch -> ch.status().equals("FAIL"));
        return new Outcome(new Results.Audit(scope, failed ? "VIOLATIONS" : "CLEAN",
                checked + " orders checked", checks, byFlow), next);
    }

    private record CockroachAudit(Baseline baseline, long orders) {
    }

    private CockroachAudit cockroachChecks(List<Results.Check> checks, Baseline previous, Baseline next) {
        if (db.cockroachUrl() == null) {
            checks.add(skipped("cockroach-ledger", "no cockroach database in this stack"));
            return new CockroachAudit(next, 0);
        }
        try (Connection c = connect(db.cockroachUrl())) {
            List<String> missing = new ArrayList<>();
            for (String table : COCKROACH_TABLES) {
                if (!tableExists(c, table)) {
                    missing.add(table);
                }
            }
            if (!missing.isEmpty()) {
                checks.add(skipped("cockroach-ledger", "not available: table(s) " + String.join(", ", missing)
                        + " not in the cockroach database (not migrated yet?)"));
                return new CockroachAudit(next, 0);
            }
            List<OrderRow> orders = loadOrders(c);
            Ledger ledger = loadPayments(c, Map.of());
            crossCheck(checks, orders, ledger, f -> true, COCKROACH);
            checks.add(check("confirmed-has-order-lines", COCKROACH, confirmedWithoutLines(c),
                    "a CONFIRMED order holds its stock through its order_line rows (there is no reservation)"));
            Map<String, BigDecimal> stock = cockroachStockDiscrepancies(c);
            Map<String, BigDecimal> money = cockroachMoneyDiscrepancies(c);
            checks.add(conservation("stock-conserved", COCKROACH, stock, previous.cockroachStock(), "SKU",
                    "initial_stock = available + order_line quantities of CONFIRMED orders. No reservation table here: "
                            + "this check stands for confirmed-has-reservation, cancelled-holds-no-stock and "
                            + "no-stock-held-without-order (per SKU, not per order)"));
            checks.add(conservation("money-conserved", COCKROACH, money, previous.cockroachMoney(), "customer",
                    "initial_balance = balance + AUTHORIZED payments"));
            checks.add(doubleCharge(COCKROACH, money, previous.cockroachMoney(), ledger));
            checks.addAll(notFinal(orders, f -> true));
            return new CockroachAudit(new Baseline(next.stock(), next.money(), stock, money), orders.size());
        } catch (SQLException e) {
            checks.add(skipped("cockroach-ledger", "not available: " + e.getMessage()));
            return new CockroachAudit(next, 0);
        }
    }

    /** The cockroach flow never writes to the orders database; a row there means something placed it on the wrong path. */
    private static Results.Check strayCockroachOrders(List<OrderRow> ordersDb) {
        List<String> stray = ordersDb.stream().filter(o -> o.flow().equals(COCKROACH))
                .map(o -> o.id() + " status=" + o.status()).toList();
        return check("cockroach-orders-only-in-own-database", COCKROACH, stray,
                "orders with flow=cockroach in the orders database (they belong in the cockroach database)");
    }

    private static List<String> confirmedWithoutLines(Connection c) throws SQLException {
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

    private static Results.Check skipped(String name, String why) {
        return new Results.Check(name, COCKROACH, "SKIPPED", 0, List.of(), why);
    }

    /**
     * Order-level cross checks of {@code orders} against a ledger; {@code scopeFlow} labels the ledger-wide checks
     * ("services" or "cockroach"). The reservation checks run only where the ledger has reservations (the services);
     * the cockroach ledger has none (see the class comment).
     */
    private void crossCheck(List<Results.Check> checks, List<OrderRow> orders, Ledger ledger, Predicate<String> flowFilter,
                            String scopeFlow) {
        boolean reservations = !scopeFlow.equals(COCKROACH);
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
                if (reservations && !"RESERVED".equals(reservation)) {
                    add(found, "confirmed-has-reservation", o, o.id() + " reservation=" + reservation);
                }
            } else if (o.status().equals("CANCELLED")) {
                if ("AUTHORIZED".equals(payment)) {
                    add(found, "cancelled-not-charged", o, o.id() + " payment=AUTHORIZED");
                }
                if (reservations && "RESERVED".equals(reservation)) {
                    add(found, "cancelled-holds-no-stock", o, o.id() + " reservation=RESERVED");
                }
            }
        }
        List<String> checkNames = reservations
                ? List.of("confirmed-has-authorized-payment", "payment-equals-order-total", "confirmed-has-reservation",
                        "cancelled-not-charged", "cancelled-holds-no-stock")
                : List.of("confirmed-has-authorized-payment", "payment-equals-order-total", "cancelled-not-charged");
        for (String flow : flowsSeen) {
            for (String name : checkNames) {
                List<String> ids = found.getOrDefault(name, Map.of()).getOrDefault(flow, List.of());
                checks.add(check(name, flow, ids, null));
            }
        }
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
        if (reservations) {
            checks.add(check("no-stock-held-without-order", scopeFlow, orphanHolds, "RESERVED reservations whose order does not exist"));
        }
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
        return conservation(name, flow, now, before, unit, "initial = on hand + held");
    }

    private static Results.Check conservation(String name, String flow, Map<String, BigDecimal> now,
                                              Map<String, BigDecimal> before, String unit, String rule) {
        List<String> changed = new ArrayList<>();
        now.forEach((key, gap) -> {
            BigDecimal old = before.getOrDefault(key, BigDecimal.ZERO);
            if (gap.compareTo(old) != 0) {
                changed.add(unit + " " + key + " off by " + gap.toPlainString()
                        + (old.signum() != 0 ? " (was " + old.toPlainString() + ")" : ""));
            }
        });
        return check(name, flow, changed, before.isEmpty() ? rule
                : rule + "; only changes since the previous audit are counted");
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

    /**
     * Whether any cluster still holds a prepared (in-doubt) transaction: a 2PC recovery is not over when the orders
     * are final, only when every branch is committed or rolled back. An unreachable cluster counts as "maybe".
     */
    public boolean preparedTransactionsLeft() {
        Results.Check check = preparedTransactions();
        return check.violations() > 0 || !"pg_prepared_xacts on every cluster".equals(check.detail());
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

    private List<Results.Check> notFinal(List<OrderRow> orders, Predicate<String> inScope) {
        Map<String, List<String>> byFlow = new TreeMap<>();
        Map<String, Integer> earlier = new TreeMap<>();
        for (OrderRow o : orders) {
            if (inScope.test(o.flow())) {
                List<String> pending = byFlow.computeIfAbsent(o.flow(), k -> new ArrayList<>());
                if (o.status().equals("PENDING")) {
                    if (ofThisRun(o)) {
                        pending.add(o.id());
                    } else {
                        earlier.merge(o.flow(), 1, Integer::sum);
                    }
                }
            }
        }
        List<Results.Check> checks = new ArrayList<>();
        // A PENDING order breaks no invariant (its reservation and payment are allowed to exist while it is in
        // flight), so it is NOT_FINAL rather than FAIL: listed with its id, counted in the recovery's "not final at
        // the deadline", kept out of the violation counts.
        byFlow.forEach((flow, ids) -> {
            int before = earlier.getOrDefault(flow, 0);
            String detail = run == null ? "orders still PENDING when the audit ran"
                    : "orders of this run still PENDING when the audit ran"
                    + (before == 0 ? "" : "; " + before + " PENDING order(s) of earlier runs in these databases, not counted");
            checks.add(new Results.Check("every-order-final", flow, ids.isEmpty() ? "PASS" : "NOT_FINAL",
                    ids.size(), ids.stream().limit(MAX_EXAMPLES).toList(), detail));
        });
        return checks;
    }

    private boolean ofThisRun(OrderRow order) {
        return run == null || (order.idempotencyKey() != null && order.idempotencyKey().startsWith(run + "-"));
    }

    private static List<OrderRow> loadOrders(Connection c) throws SQLException {
        List<OrderRow> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id::text, flow, status, total, idempotency_key FROM purchase_order")) {
            while (rs.next()) {
                rows.add(new OrderRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
                        rs.getString(5)));
            }
        }
        return rows;
    }

    private static Ledger loadLedger(Connection payment, Connection inventory) throws SQLException {
        Map<String, String> reservation = new HashMap<>();
        try (Statement st = inventory.createStatement();
             ResultSet rs = st.executeQuery("SELECT order_id::text, status FROM reservation")) {
            while (rs.next()) {
                reservation.merge(rs.getString(1), rs.getString(2), (a, b) -> a.equals("RESERVED") ? a : b);
            }
        }
        return loadPayments(payment, reservation);
    }

    private static Ledger loadPayments(Connection payment, Map<String, String> reservation) throws SQLException {
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

    static boolean viewExists(Connection c, String view) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM information_schema.views WHERE table_schema = current_schema() AND table_name = ?")) {
            ps.setString(1, view);
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

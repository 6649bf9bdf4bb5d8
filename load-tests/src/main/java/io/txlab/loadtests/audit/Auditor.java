package io.txlab.loadtests.audit;

import static io.txlab.loadtests.audit.AuditChecks.MAX_EXAMPLES;
import static io.txlab.loadtests.audit.AuditChecks.check;
import static io.txlab.loadtests.audit.AuditChecks.loadOrders;

import io.txlab.loadtests.audit.AuditChecks.OrderRow;
import io.txlab.loadtests.report.Results;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
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
 * One auditor per ledger: {@link ServiceLedgerAudit} for the four flows over the services' databases,
 * {@link CockroachLedgerAudit} for the cockroach flow's own database (its orders are read and checked there, never in
 * the orders database); this class runs them and the checks that span every cluster (prepared transactions, orders
 * still PENDING).
 * <p>
 * Conservation is per SKU / customer, not per order: a comparison audits after every flow and attributes the
 * <em>change</em> since the previous audit (see {@link Baseline}).
 */
public final class Auditor {

    public static final String COCKROACH = "cockroach";
    /** Discrepancies per SKU and per customer at one audit, so the next one can tell what changed since. */
    public record Baseline(Map<String, BigDecimal> stock, Map<String, BigDecimal> money,
                           Map<String, BigDecimal> cockroachStock, Map<String, BigDecimal> cockroachMoney) {

        public static final Baseline NONE = new Baseline(Map.of(), Map.of(), Map.of(), Map.of());
    }

    public record Outcome(Results.Audit audit, Baseline baseline) {
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
                ServiceLedgerAudit.Gaps gaps = ServiceLedgerAudit.audit(inv, pay, orders,
                        f -> !f.equals(COCKROACH) && inScope.test(f), previous, checks);
                next = new Baseline(gaps.stock(), gaps.money(), next.cockroachStock(), next.cockroachMoney());
            } catch (SQLException e) {
                checks.add(new Results.Check("service-ledgers", "services", "SKIPPED", 0, List.of(),
                        "inventory/payment databases unreachable: " + e.getMessage()));
            }
        }
        if (flows == null || flows.contains(COCKROACH)) {
            checks.add(CockroachLedgerAudit.strayCockroachOrders(orders));
            CockroachLedgerAudit.Result cockroach = CockroachLedgerAudit.audit(this::connect, db.cockroachUrl(),
                    previous, next, rows -> notFinal(rows, f -> true), checks);
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

    /**
     * Whether any cluster still holds a prepared (in-doubt) transaction: a 2PC recovery is not over when the orders
     * are final, only when every branch is committed or rolled back. An unreachable cluster counts as "maybe".
     */
    public boolean preparedTransactionsLeft() {
        PreparedScan scan = scanPrepared();
        return scan.check().violations() > 0 || !scan.unreachable().isEmpty();
    }

    /** What {@code pg_prepared_xacts} showed, and which clusters could not be asked. */
    private record PreparedScan(Results.Check check, List<String> unreachable) {
    }

    private Results.Check preparedTransactions() {
        return scanPrepared().check();
    }

    private PreparedScan scanPrepared() {
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
        return new PreparedScan(check("no-prepared-transaction-left", "*", found,
                unreachable.isEmpty() ? "pg_prepared_xacts on every cluster" : "unreachable: " + String.join(", ", unreachable)),
                unreachable);
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

    /**
     * What the participants still hold, or gave back, for an order of the service flows.
     *
     * @param returnedAt the last moment a held thing came back (the reservation's {@code released_at}, a charged
     *                   payment's {@code refunded_at}); null when nothing was ever held for it
     * @param stillHeld  stock still RESERVED or money still AUTHORIZED for it
     */
    public record Returned(Instant returnedAt, boolean stillHeld) {
    }

    /**
     * {@link Returned} for each of {@code orderIds} in the inventory and payment databases (the saga and 2PC flows' own
     * records; a tombstone of an order never reserved or charged held nothing). Throws if a database cannot answer.
     */
    public Map<UUID, Returned> returned(Collection<UUID> orderIds) throws SQLException {
        Map<UUID, Instant> at = new HashMap<>();
        Set<UUID> held = new HashSet<>();
        UUID[] ids = orderIds.toArray(UUID[]::new);
        // a tombstone (a release before the reserve: no lines; a refund before the charge: amount 0) gave nothing back
        collectReturned(db.inventoryUrl(), "SELECT r.order_id, r.status, CASE WHEN EXISTS (SELECT 1 FROM reservation_line l "
                + "WHERE l.order_id = r.order_id) THEN r.released_at END FROM reservation r WHERE r.order_id = ANY(?)",
                "RESERVED", ids, at, held);
        collectReturned(db.paymentUrl(), "SELECT order_id, status, CASE WHEN amount > 0 THEN refunded_at END FROM payment "
                + "WHERE order_id = ANY(?)", "AUTHORIZED", ids, at, held);
        Map<UUID, Returned> result = new HashMap<>();
        for (UUID id : orderIds) {
            result.put(id, new Returned(at.get(id), held.contains(id)));
        }
        return result;
    }

    /**
     * Reads {@code (order_id, status, returned_at)} rows of one participant: an order whose row is in
     * {@code heldStatus} goes to {@code held}, else its latest non-null {@code returned_at} to {@code at}.
     */
    private void collectReturned(String url, String sql, String heldStatus, UUID[] ids, Map<UUID, Instant> at, Set<UUID> held)
            throws SQLException {
        try (Connection c = connect(url); PreparedStatement q = c.prepareStatement(sql)) {
            q.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    if (heldStatus.equals(rs.getString(2))) {
                        held.add(id);
                    } else if (rs.getTimestamp(3) != null) {
                        at.merge(id, rs.getTimestamp(3).toInstant(), (a, b) -> a.isAfter(b) ? a : b);
                    }
                }
            }
        }
    }

    private Connection connect(String url) throws SQLException {
        return db.connect(url);
    }
}

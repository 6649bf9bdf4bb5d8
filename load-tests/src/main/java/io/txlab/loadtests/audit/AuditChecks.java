package io.txlab.loadtests.audit;

import io.txlab.loadtests.report.Results;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What every ledger's audit shares: the rows it reads (orders, payments), the order-level cross checks, the
 * conservation and double-charge checks, and the schema probes. The ledgers are {@link ServiceLedgerAudit} (the
 * inventory and payment databases) and {@link CockroachLedgerAudit} (the cockroach flow's one database);
 * {@link Auditor} runs them and the checks that span every cluster.
 */
final class AuditChecks {

    static final int MAX_EXAMPLES = 20;

    /** One order as the audits need it. */
    record OrderRow(String id, String flow, String status, BigDecimal total, String idempotencyKey) {
    }

    /** What a ledger holds per order: its payment (status, amount, how many AUTHORIZED) and its reservation. */
    record Ledger(Map<String, String> paymentStatus, Map<String, BigDecimal> paymentAmount,
                  Map<String, Integer> authorizedCount, Map<String, String> reservationStatus) {
    }

    private AuditChecks() {
    }

    /**
     * Order-level cross checks of {@code orders} against a ledger; {@code scopeFlow} labels the ledger-wide checks
     * ("services" or "cockroach").
     */
    static void crossCheck(List<Results.Check> checks, List<OrderRow> orders, Ledger ledger, Predicate<String> flowFilter,
                            String scopeFlow) {
        Map<String, Map<String, List<String>>> found = new LinkedHashMap<>();
        Set<String> flowsSeen = new TreeSet<>();
        Set<String> orderIds = new HashSet<>();
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

    static void add(Map<String, Map<String, List<String>>> found, String check, OrderRow o, String example) {
        found.computeIfAbsent(check, k -> new TreeMap<>()).computeIfAbsent(o.flow(), k -> new ArrayList<>()).add(example);
    }

    static Results.Check check(String name, String flow, List<String> violations, String detail) {
        return new Results.Check(name, flow, violations.isEmpty() ? "PASS" : "FAIL", violations.size(),
                violations.stream().limit(MAX_EXAMPLES).toList(), detail);
    }

    static Results.Check conservation(String name, String flow, Map<String, BigDecimal> now,
                                              Map<String, BigDecimal> before, String unit) {
        String rule = "initial = on hand + held";
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
    static Results.Check doubleCharge(String flow, Map<String, BigDecimal> money, Map<String, BigDecimal> before,
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

    static List<OrderRow> loadOrders(Connection c) throws SQLException {
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

    static Ledger loadPayments(Connection payment, Map<String, String> reservation) throws SQLException {
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

    /** initial - balance - authorized, per customer, only where it is not zero. */
    static Map<String, BigDecimal> moneyDiscrepancies(Connection c) throws SQLException {
        String initial = columnExists(c, "account", "initial_balance") ? "a.initial_balance" : SeedDefinition.INITIAL_BALANCE_SQL;
        return discrepancies(c, "SELECT a.customer_id, (" + initial + ") - a.balance - coalesce(h.amount, 0) FROM account a "
                + "LEFT JOIN (SELECT customer_id, sum(amount) AS amount FROM payment WHERE status = 'AUTHORIZED' "
                + "GROUP BY customer_id) h ON h.customer_id = a.customer_id");
    }

    static Map<String, BigDecimal> discrepancies(Connection c, String sql) throws SQLException {
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
}

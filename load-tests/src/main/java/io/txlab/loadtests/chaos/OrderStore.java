package io.txlab.loadtests.chaos;

import io.txlab.contracts.Flow;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * Reads order-service's own records of a run (server timestamps), found by the run's Idempotency-Key prefix. The
 * recovery numbers come from here rather than from the client: a long-poll that gave up, or an order-service that
 * was killed, does not stop the order from finishing later, and only the server knows when it did.
 * <p>
 * Orders live in two databases: the orders database (every flow but cockroach) and the cockroach flow's own
 * database, which holds its whole order ({@code purchase_order} there, from order-service {@code db/order}). A run's
 * orders are the union of both. Either database being unreachable (it may be the component just killed) surfaces as
 * an {@link SQLException}, for the caller to retry; a cockroach database without the {@code purchase_order} table
 * (not migrated yet) holds no orders.
 */
public final class OrderStore {

    private static final String UNDEFINED_TABLE = "42P01";

    /** One order as order-service stored it; {@code flow} lets one run that drove several flows be split per flow. */
    public record StoredOrder(String id, String flow, String status, long createdEpochMs, Long completedEpochMs) {
    }

    private final String ordersUrl;
    private final String cockroachUrl;
    private final Properties props = new Properties();

    /**
     * @param ordersUrl    order-service's database
     * @param cockroachUrl the cockroach flow's database; null when the stack has none
     */
    public OrderStore(String ordersUrl, String cockroachUrl, String user, String password) {
        this.ordersUrl = ordersUrl;
        this.cockroachUrl = cockroachUrl;
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "30");
    }

    public List<StoredOrder> ordersOfRun(String runId) throws SQLException {
        List<StoredOrder> orders = new ArrayList<>(ordersOfRun(ordersUrl, runId, false));
        if (cockroachUrl != null) {
            orders.addAll(ordersOfRun(cockroachUrl, runId, true));
        }
        orders.sort(Comparator.comparingLong(StoredOrder::createdEpochMs));
        return orders;
    }

    /**
     * PENDING orders of a flow placed by run {@code runId} (Idempotency-Key prefix), counted in the database that holds
     * that flow's orders. Orders of earlier runs are not counted: one lost by a crash stays PENDING for good, and must
     * not hold up every later run's settling.
     */
    public long pendingOrders(String flow, String runId) throws SQLException {
        boolean cockroach = flow.equals(Flow.COCKROACH.id());
        String url = cockroach ? cockroachUrl : ordersUrl;
        if (url == null) {
            throw new SQLException("no " + flow + " database in this stack");
        }
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM purchase_order "
                     + "WHERE status = 'PENDING' AND flow = ? AND idempotency_key LIKE ?")) {
            ps.setString(1, flow);
            ps.setString(2, keyPrefix(runId));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if (cockroach && UNDEFINED_TABLE.equals(e.getSQLState())) {
                return 0;
            }
            throw e;
        }
    }

    public String databaseVersion() throws SQLException {
        try (Connection c = DriverManager.getConnection(ordersUrl, props);
             ResultSet rs = c.createStatement().executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<StoredOrder> ordersOfRun(String url, String runId, boolean mayBeUnmigrated) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement ps = c.prepareStatement("SELECT id::text, flow, status, created_at, completed_at "
                     + "FROM purchase_order WHERE idempotency_key LIKE ? ORDER BY created_at")) {
            ps.setString(1, keyPrefix(runId));
            List<StoredOrder> orders = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp completed = rs.getTimestamp(5);
                    orders.add(new StoredOrder(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).getTime(),
                            completed == null ? null : completed.getTime()));
                }
            }
            return orders;
        } catch (SQLException e) {
            if (mayBeUnmigrated && UNDEFINED_TABLE.equals(e.getSQLState())) {
                return List.of();
            }
            throw e;
        }
    }

    /** LIKE pattern of the Idempotency-Keys of run {@code runId} ({@code <runId>-<n>...}). */
    private static String keyPrefix(String runId) {
        return runId.replace("_", "\\_").replace("%", "\\%") + "-%";
    }
}

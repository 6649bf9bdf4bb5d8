package io.txlab.loadtests.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads order-service's own records of a run (server timestamps), found by the run's Idempotency-Key prefix. The
 * recovery numbers come from here rather than from the client: a long-poll that gave up, or an order-service that
 * was killed, does not stop the order from finishing later, and only the server knows when it did.
 */
public final class OrderStore {

    public record StoredOrder(String id, String status, long createdEpochMs, Long completedEpochMs) {
    }

    private final String url;
    private final Properties props = new Properties();

    public OrderStore(String url, String user, String password) {
        this.url = url;
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "30");
    }

    public List<StoredOrder> ordersOfRun(String runId) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement ps = c.prepareStatement("SELECT id::text, status, created_at, completed_at "
                     + "FROM purchase_order WHERE idempotency_key LIKE ? ORDER BY created_at")) {
            ps.setString(1, runId.replace("_", "\\_").replace("%", "\\%") + "-%");
            List<StoredOrder> orders = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp completed = rs.getTimestamp(4);
                    orders.add(new StoredOrder(rs.getString(1), rs.getString(2), rs.getTimestamp(3).getTime(),
                            completed == null ? null : completed.getTime()));
                }
            }
            return orders;
        }
    }

    public long pendingOrders(String flow) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, props);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM purchase_order WHERE status = 'PENDING' AND flow = ?")) {
            ps.setString(1, flow);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public String databaseVersion() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, props);
             ResultSet rs = c.createStatement().executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }
}

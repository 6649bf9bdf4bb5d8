package io.txlab.loadtests.audit;

import io.txlab.devstack.Topology;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the auditor looks: each service's database, the cockroach stand-in, and one database per cluster for the
 * cluster-wide {@code pg_prepared_xacts} check. A null URL means "not part of this stack" (the checks that need it
 * are reported as skipped).
 */
public record AuditDatabases(String ordersUrl, String inventoryUrl, String paymentUrl, String cockroachUrl,
                             Map<String, String> clusters, String user, String password) {

    public static AuditDatabases of(Topology topology) {
        Map<String, String> clusters = new LinkedHashMap<>();
        clusters.put(Topology.POSTGRES_ORDER, topology.jdbcUrl(Topology.POSTGRES_ORDER, "orders"));
        clusters.put(Topology.POSTGRES_INVENTORY, topology.jdbcUrl(Topology.POSTGRES_INVENTORY, "inventory"));
        clusters.put(Topology.POSTGRES_PAYMENT, topology.jdbcUrl(Topology.POSTGRES_PAYMENT, "payment"));
        clusters.put(Topology.POSTGRES_COORDINATOR, topology.jdbcUrl(Topology.POSTGRES_COORDINATOR, "coordinator"));
        clusters.put(Topology.POSTGRES_COCKROACH, topology.jdbcUrl(Topology.POSTGRES_COCKROACH, "txlab"));
        return new AuditDatabases(clusters.get(Topology.POSTGRES_ORDER), clusters.get(Topology.POSTGRES_INVENTORY),
                clusters.get(Topology.POSTGRES_PAYMENT), clusters.get(Topology.POSTGRES_COCKROACH), clusters,
                "txlab", "txlab");
    }

    /** A connection to one of these databases as the stack's application user, with short connect and read timeouts. */
    public Connection connect(String url) throws SQLException {
        if (url == null) {
            throw new SQLException("no database configured");
        }
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(url, p);
    }
}

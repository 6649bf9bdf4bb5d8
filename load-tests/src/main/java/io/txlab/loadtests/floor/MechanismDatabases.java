package io.txlab.loadtests.floor;

import io.txlab.devstack.Topology;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.loadtests.compare.FloorBenchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The databases a mechanism floor writes to: database {@value #DATABASE} on each of the stack's order, inventory,
 * payment (and, for 2PC, coordinator) clusters, or on the cockroach flow's one cluster holding all of it, recreated
 * for each run. Stock and money tables come from the inventory and payment cores' own schema files, as in the
 * comparison's floor lane, the outbox from the platform's; the order record and the inbox are the floor's own. Every
 * step below does the writes the flows' steps do: a guarded decrement and the rows that record it, plus an inbox row
 * where a message is consumed and an outbox row where the outbox flow publishes.
 */
final class MechanismDatabases implements AutoCloseable {

    static final String DATABASE = "txlab_mechanism";
    static final int SKUS = 1000;
    static final int CUSTOMERS = 1000;

    private final Topology topology;
    private final List<String> clusters;
    private final List<Connection> open = new ArrayList<>();
    /** Where the orders are: the order cluster, or the cockroach flow's single one. */
    private final String orderCluster;

    MechanismDatabases(Topology topology, List<String> clusters) {
        this.topology = topology;
        this.clusters = clusters;
        this.orderCluster = clusters.contains(Topology.POSTGRES_ORDER) ? Topology.POSTGRES_ORDER : clusters.get(0);
    }

    private static Properties props() {
        Properties p = new Properties();
        p.setProperty("user", PostgresCluster.APP_USER);
        p.setProperty("password", PostgresCluster.APP_PASSWORD);
        p.setProperty("connectTimeout", "5");
        return p;
    }

    /** Drops and creates {@value #DATABASE} on every cluster, with the tables its role needs. */
    void prepare() throws SQLException {
        for (String cluster : clusters) {
            try (Connection c = DriverManager.getConnection(topology.jdbcUrl(cluster, "postgres"), props());
                 Statement st = c.createStatement()) {
                dropSlots(st);
                st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
                st.execute("CREATE DATABASE " + DATABASE + " OWNER " + PostgresCluster.APP_USER);
            }
            try (Connection c = DriverManager.getConnection(topology.jdbcUrl(cluster, DATABASE), props());
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE inbox (message_id text PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now())");
                switch (cluster) {
                    case Topology.POSTGRES_ORDER -> orderTables(st);
                    case Topology.POSTGRES_INVENTORY -> stockTables(st);
                    case Topology.POSTGRES_PAYMENT -> moneyTables(st);
                    case Topology.POSTGRES_COCKROACH -> {
                        orderTables(st);
                        stockTables(st);
                        moneyTables(st);
                    }
                    case Topology.POSTGRES_COORDINATOR -> st.execute("""
                            CREATE TABLE decision (gid text PRIMARY KEY, state text NOT NULL,
                                created_at timestamptz NOT NULL DEFAULT now(), decided_at timestamptz, completed_at timestamptz)""");
                    default -> throw new IllegalArgumentException("no mechanism-floor tables for " + cluster);
                }
                st.execute("VACUUM ANALYZE");
            }
        }
    }

    private static void orderTables(Statement st) throws SQLException {
        st.execute("""
                CREATE TABLE purchase_order (id uuid PRIMARY KEY, customer_id text NOT NULL, sku text NOT NULL,
                    quantity integer NOT NULL, total numeric(14,2) NOT NULL, status text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(), completed_at timestamptz)""");
    }

    private static void stockTables(Statement st) throws SQLException {
        st.execute(FloorBenchmark.schema("db/inventory/V1__schema.sql"));
        st.execute("INSERT INTO product SELECT 'SKU-' || lpad(n::text, 4, '0'), 'floor', 10.00, 100000000, "
                + "100000000 FROM generate_series(1, " + SKUS + ") n");
    }

    private static void moneyTables(Statement st) throws SQLException {
        st.execute(FloorBenchmark.schema("db/payment/V1__schema.sql"));
        st.execute("INSERT INTO account SELECT 'C-' || lpad(n::text, 4, '0'), 1000000000.00, 1000000000.00 "
                + "FROM generate_series(1, " + CUSTOMERS + ") n");
    }

    /**
     * The outbox flow's part of a database: the services' outbox table (the platform's schema file), a publication
     * carrying its INSERTs only and a logical replication slot ({@code pgoutput}) created before any row is written,
     * as the services' relay prepares them. {@link #close()} drops the slot with the database.
     */
    void prepareOutbox(String cluster, String publication, String slot) throws SQLException {
        try (Connection c = DriverManager.getConnection(topology.jdbcUrl(cluster, DATABASE), props());
             Statement st = c.createStatement()) {
            st.execute(FloorBenchmark.schema("db/platform/V0_3__outbox.sql"));
            st.execute("CREATE PUBLICATION " + publication + " FOR TABLE outbox WITH (publish = 'insert')");
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                ps.setString(1, slot);
                ps.executeQuery().close();
            }
        }
    }

    /**
     * Drops the replication slots left on {@value #DATABASE} (a database with a slot cannot be dropped), waiting a
     * little for a relay that is still letting go of one.
     */
    private static void dropSlots(Statement st) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                st.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
                        + DATABASE + "'");
                return;
            } catch (SQLException e) {
                // 55006: the slot is still active (its walsender has not gone yet)
                if (!"55006".equals(e.getSQLState()) || attempt == 50) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A connection to {@value #DATABASE} on the cluster, in manual-commit mode, closed with this object. */
    synchronized Connection connect(String cluster) throws SQLException {
        Connection c = DriverManager.getConnection(topology.jdbcUrl(cluster, DATABASE), props());
        c.setAutoCommit(false);
        open.add(c);
        return c;
    }

    /** {@code size} connections to the cluster, handed out and given back by the caller. */
    BlockingQueue<Connection> pool(String cluster, int size) throws SQLException {
        BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            pool.add(connect(cluster));
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        for (Connection c : open) {
            try {
                c.close();
            } catch (SQLException e) {
                // best effort: the database is dropped next
            }
        }
        open.clear();
        for (String cluster : clusters) {
            try (Connection c = DriverManager.getConnection(topology.jdbcUrl(cluster, "postgres"), props());
                 Statement st = c.createStatement()) {
                dropSlots(st);
                st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("mechanism-floor: could not drop " + DATABASE + " on " + cluster + ": " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- the steps (the caller commits or prepares)

    /** One order: one unit of one SKU for one customer, 10.00. */
    record Order(long seq, UUID id, String sku, String customer, long dueNanos) {

        static Order of(long seq, long dueNanos) {
            return new Order(seq, UUID.randomUUID(), String.format("SKU-%04d", 1 + seq % SKUS),
                    String.format("C-%04d", 1 + (seq * 7) % CUSTOMERS), dueNanos);
        }

        String wire() {
            return seq + "," + id + "," + sku + "," + customer + "," + dueNanos;
        }

        static Order fromWire(String wire) {
            String[] f = wire.split(",");
            return new Order(Long.parseLong(f[0]), UUID.fromString(f[1]), f[2], f[3], Long.parseLong(f[4]));
        }
    }

    /** The message was new (its inbox row is written in the caller's transaction); false: seen before, skip it. */
    static boolean inbox(Connection c, String messageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO inbox (message_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, messageId);
            return ps.executeUpdate() == 1;
        }
    }

    /** One step's writes in the caller's open transaction. */
    @FunctionalInterface
    interface Step {
        void apply(Connection c, Order o) throws Exception;
    }

    /**
     * A consumer's local transaction, as the services' listeners and activities run it: the inbox row, the step's
     * writes if the message is new, commit; rolled back and rethrown on failure.
     *
     * @return whether the message was new (false: seen before, nothing written)
     */
    static boolean consume(Connection c, String messageId, Order o, Step step) throws Exception {
        try {
            boolean fresh = inbox(c, messageId);
            if (fresh) {
                step.apply(c, o);
            }
            c.commit();
            return fresh;
        } catch (Exception e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the step's failure is the one to report
            }
            throw e;
        }
    }

    static void placeOrder(Connection c, Order o) throws SQLException {
        insertOrder(c, o, "PENDING");
    }

    /** The cockroach flow's order: inserted final, in the transaction that reserved and charged it. */
    static void insertConfirmed(Connection c, Order o) throws SQLException {
        insertOrder(c, o, "CONFIRMED");
    }

    private static void insertOrder(Connection c, Order o, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO purchase_order (id, customer_id, sku, quantity, total, "
                + "status, completed_at) VALUES (?, ?, ?, 1, 10.00, ?, " + ("PENDING".equals(status) ? "NULL" : "now()") + ")")) {
            ps.setObject(1, o.id());
            ps.setString(2, o.customer());
            ps.setString(3, o.sku());
            ps.setString(4, status);
            ps.executeUpdate();
        }
    }

    /** The outbox flow's publish: the event as a row of the caller's transaction, relayed from the WAL after commit. */
    static void outbox(Connection c, String topic, String type, Order o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload) VALUES (?, ?, ?, ?, ?)")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, topic);
            ps.setString(3, o.id().toString());
            ps.setString(4, type);
            ps.setString(5, o.wire());
            ps.executeUpdate();
        }
    }

    static void reserve(Connection c, Order o) throws SQLException {
        try (PreparedStatement take = c.prepareStatement(
                "UPDATE product SET available = available - 1 WHERE sku = ? AND available >= 1");
             PreparedStatement head = c.prepareStatement("INSERT INTO reservation (order_id, status) VALUES (?, 'RESERVED')");
             PreparedStatement line = c.prepareStatement("INSERT INTO reservation_line (order_id, sku, quantity) VALUES (?, ?, 1)")) {
            take.setString(1, o.sku());
            if (take.executeUpdate() != 1) {
                throw new IllegalStateException("out of stock: " + o.sku());
            }
            head.setObject(1, o.id());
            head.executeUpdate();
            line.setObject(1, o.id());
            line.setString(2, o.sku());
            line.executeUpdate();
        }
    }

    static void charge(Connection c, Order o) throws SQLException {
        try (PreparedStatement debit = c.prepareStatement(
                "UPDATE account SET balance = balance - 10.00 WHERE customer_id = ? AND balance >= 10.00");
             PreparedStatement payment = c.prepareStatement("INSERT INTO payment (order_id, customer_id, amount, status) "
                     + "VALUES (?, ?, 10.00, 'AUTHORIZED')")) {
            debit.setString(1, o.customer());
            if (debit.executeUpdate() != 1) {
                throw new IllegalStateException("insufficient funds: " + o.customer());
            }
            payment.setObject(1, o.id());
            payment.setString(2, o.customer());
            payment.executeUpdate();
        }
    }

    static void confirm(Connection c, Order o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE purchase_order SET status = 'CONFIRMED', completed_at = now() WHERE id = ? AND status = 'PENDING'")) {
            ps.setObject(1, o.id());
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("order " + o.id() + " is not PENDING");
            }
        }
    }

    /** Orders CONFIRMED in the order database: the run's check that every order it timed really finished. */
    long confirmed() throws SQLException {
        try (Connection c = DriverManager.getConnection(topology.jdbcUrl(orderCluster, DATABASE), props());
             Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM purchase_order WHERE status = 'CONFIRMED'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

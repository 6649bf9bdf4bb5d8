package io.txlab.loadtests.compare;

import io.txlab.devstack.Topology;
import io.txlab.loadtests.config.WorkloadMix;
import io.txlab.loadtests.measure.ResourceMeter;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.report.Targets;
import io.txlab.loadtests.scenarios.OrderGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor every flow is divided by: one local PostgreSQL transaction doing all the writes of an order (order and
 * lines, guarded stock decrements, reservation, guarded balance debit, payment), at the same open-model rate and
 * with the same generated orders. It has no network hop between services, no broker, no coordinator and no HTTP:
 * the least any correct implementation of the order must cost on this machine. Its stock and money tables are the
 * inventory and payment cores' (their schema files), so it writes what every flow writes. Runs in its own database
 * ({@value #DATABASE}) on the given cluster, recreated each time.
 */
public final class FloorBenchmark implements AutoCloseable {

    public static final String DATABASE = "txlab_floor";
    /**
     * The cluster the floor runs on. Its CPU per order counts this cluster and the load generator only (ADR 31): the
     * rest of the stack idles meanwhile, and its idle cost, reported on its own, was two thirds of the floor's figure and
     * most of its noise.
     */
    public static final String CLUSTER = Topology.POSTGRES_COCKROACH;
    private static final int CONNECTIONS = 8;

    private final String adminUrl;
    private final String floorUrl;
    private final Properties props = new Properties();
    /** Open from {@link #prepare()} to {@link #close()}: a run measures transactions, not connection setup. */
    private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(CONNECTIONS);

    /** @param clusterUrl a JDBC URL of any database on the cluster (used to create the floor database) */
    public FloorBenchmark(String clusterUrl, String user, String password) {
        this.adminUrl = clusterUrl;
        this.floorUrl = clusterUrl.substring(0, clusterUrl.lastIndexOf('/') + 1) + DATABASE;
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "5");
    }

    /** The floor's cost between two readings: its cluster and the load generator, per order finished. */
    static Results.Resources cost(ResourceMeter.Reading before, ResourceMeter.Reading after, long finals) {
        return ResourceMeter.between(before, after, finals, Targets.SATURATED_BUSY_PERCENT, Set.of(CLUSTER));
    }

    public String where() {
        return floorUrl;
    }

    public void prepare() throws SQLException {
        try (Connection c = DriverManager.getConnection(adminUrl, props); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection c = DriverManager.getConnection(floorUrl, props); Statement st = c.createStatement()) {
            // The stock and money tables from the inventory and payment cores' own schema files, as the services
            // and the cockroach flow create them; the order record is the floor's own (no flow, no idempotency).
            st.execute(schema("db/inventory/V1__schema.sql"));
            st.execute(schema("db/payment/V1__schema.sql"));
            st.execute("""
                    CREATE TABLE purchase_order (id uuid PRIMARY KEY, customer_id text NOT NULL, status text NOT NULL,
                        total numeric(14,2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
                        completed_at timestamptz, idempotency_key text NOT NULL UNIQUE);
                    CREATE TABLE order_line (order_id uuid NOT NULL REFERENCES purchase_order (id), line_no integer NOT NULL,
                        sku text NOT NULL, quantity integer NOT NULL, unit_price numeric(14,2) NOT NULL, PRIMARY KEY (order_id, line_no));
                    INSERT INTO product SELECT 'SKU-' || lpad(n::text, 4, '0'), 'floor', 10.00, 1000000, 1000000
                        FROM generate_series(1, 1000) n;
                    INSERT INTO product SELECT 'SOLDOUT-' || lpad(n::text, 2, '0'), 'floor', 10.00, 0, 0
                        FROM generate_series(1, 10) n;
                    INSERT INTO account SELECT 'C-' || lpad(n::text, 4, '0'), 1000000.00, 1000000.00
                        FROM generate_series(1, 1000) n;
                    INSERT INTO account SELECT 'BROKE-' || lpad(n::text, 2, '0'), 0.00, 0.00 FROM generate_series(1, 10) n;
                    """);
        }
        for (int i = 0; i < CONNECTIONS; i++) {
            Connection c = DriverManager.getConnection(floorUrl, props);
            c.setAutoCommit(false);
            pool.add(c);
        }
    }

    /** A schema file of a core module or the platform, from the classpath (also the mechanism floors', package {@code floor}). */
    public static String schema(String resource) {
        try (InputStream in = FloorBenchmark.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (inventory-core, payment-core, platform)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Connection c;
        while ((c = pool.poll()) != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing is best effort: the database is dropped next
            }
        }
    }

    public void drop() {
        close();
        try (Connection c = DriverManager.getConnection(adminUrl, props); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        } catch (SQLException e) {
            // leaving the floor database behind costs disk only; the next run drops it first
        }
    }

    /**
     * Open model: order i is due at start + i/rate whatever happened to the previous ones; latency runs from the
     * due time to the commit, so a queue in front of the connections counts (no coordinated omission).
     */
    public List<OrderSample> run(double rate, Duration duration, WorkloadMix mix, long seed, String runId)
            throws InterruptedException {
        if (pool.size() != CONNECTIONS) {
            throw new IllegalStateException("the floor is not prepared (or a run is still going on)");
        }
        OrderGenerator generator = new OrderGenerator("floor", mix, seed, runId);
        List<OrderSample> samples = Collections.synchronizedList(new ArrayList<>());
        ExecutorService workers = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            long count = Math.round(rate * duration.toMillis() / 1000.0);
            long startNanos = System.nanoTime() + 50_000_000L;
            long startWall = System.currentTimeMillis() + 50;
            for (long i = 0; i < count; i++) {
                long dueNanos = startNanos + (long) (i * 1e9 / rate);
                long dueWall = startWall + (long) (i * 1000 / rate);
                OrderGenerator.GeneratedOrder order = generator.nextOrder();
                long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                workers.execute(() -> samples.add(place(pool, order, dueNanos, dueWall)));
            }
        } finally {
            workers.shutdown();
            workers.awaitTermination(60, TimeUnit.SECONDS);
        }
        return new ArrayList<>(samples);
    }

    private static OrderSample place(BlockingQueue<Connection> pool, OrderGenerator.GeneratedOrder order, long dueNanos,
                                     long dueWall) {
        Connection c;
        try {
            c = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return sample(order, dueNanos, dueWall, Outcome.ERROR, "interrupted");
        }
        try {
            String outcome = transaction(c, order);
            return sample(order, dueNanos, dueWall, outcome == null ? Outcome.CONFIRMED : Outcome.CANCELLED, outcome);
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is unusable either way; the sample records the failure
            }
            return sample(order, dueNanos, dueWall, Outcome.ERROR, e.getSQLState());
        } finally {
            pool.add(c);
        }
    }

    /** Returns null when committed, else the rejection reason (the transaction is rolled back: nothing written). */
    private static String transaction(Connection c, OrderGenerator.GeneratedOrder order) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement po = c.prepareStatement(
                "INSERT INTO purchase_order (id, customer_id, status, total, idempotency_key) VALUES (?, ?, 'PENDING', ?, ?)");
             PreparedStatement line = c.prepareStatement(
                     "INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement stock = c.prepareStatement(
                     "UPDATE product SET available = available - ? WHERE sku = ? AND available >= ?");
             PreparedStatement res = c.prepareStatement("INSERT INTO reservation (order_id, status) VALUES (?, 'RESERVED')");
             PreparedStatement resLine = c.prepareStatement(
                     "INSERT INTO reservation_line (order_id, sku, quantity) VALUES (?, ?, ?)");
             PreparedStatement debit = c.prepareStatement(
                     "UPDATE account SET balance = balance - ? WHERE customer_id = ? AND balance >= ?");
             PreparedStatement pay = c.prepareStatement(
                     "INSERT INTO payment (order_id, customer_id, amount, status) VALUES (?, ?, ?, 'AUTHORIZED')");
             PreparedStatement confirm = c.prepareStatement(
                     "UPDATE purchase_order SET status = 'CONFIRMED', completed_at = now() WHERE id = ?")) {
            po.setObject(1, id);
            po.setString(2, order.customerId());
            po.setBigDecimal(3, order.total());
            po.setString(4, order.idempotencyKey());
            po.executeUpdate();
            res.setObject(1, id);
            res.executeUpdate();
            int n = 0;
            // deterministic SKU order, like the inventory core: concurrent orders never deadlock
            List<OrderGenerator.Line> lines = order.lines().stream()
                    .sorted(java.util.Comparator.comparing(OrderGenerator.Line::sku)).toList();
            for (OrderGenerator.Line l : lines) {
                line.setObject(1, id);
                line.setInt(2, ++n);
                line.setString(3, l.sku());
                line.setInt(4, l.quantity());
                line.setBigDecimal(5, l.unitPrice());
                line.executeUpdate();
                stock.setInt(1, l.quantity());
                stock.setString(2, l.sku());
                stock.setInt(3, l.quantity());
                if (stock.executeUpdate() != 1) {
                    c.rollback();
                    return "OUT_OF_STOCK";
                }
                resLine.setObject(1, id);
                resLine.setString(2, l.sku());
                resLine.setInt(3, l.quantity());
                resLine.executeUpdate();
            }
            debit.setBigDecimal(1, order.total());
            debit.setString(2, order.customerId());
            debit.setBigDecimal(3, order.total());
            if (debit.executeUpdate() != 1) {
                c.rollback();
                return "INSUFFICIENT_FUNDS";
            }
            pay.setObject(1, id);
            pay.setString(2, order.customerId());
            pay.setBigDecimal(3, order.total());
            pay.executeUpdate();
            confirm.setObject(1, id);
            confirm.executeUpdate();
            c.commit();
            return null;
        }
    }

    private static OrderSample sample(OrderGenerator.GeneratedOrder order, long dueNanos, long dueWall, Outcome outcome,
                                      String reason) {
        long micros = (System.nanoTime() - dueNanos) / 1000;
        return new OrderSample(order.sequence(), order.idempotencyKey(), order.kind().name(), "floor", dueWall, micros, 0,
                0, "", outcome, outcome.name(), reason == null ? "" : reason, "", "", "postgresql-local-transaction", "",
                false, dueNanos, 0);
    }
}

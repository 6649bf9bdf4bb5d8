package io.txlab.loadtests.floor;

import io.txlab.devstack.Topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Flow cockroach's mechanism: the whole order as one SERIALIZABLE transaction on the flow's own cluster (locally the
 * PostgreSQL stand-in, {@value Topology#COCKROACH_BACKEND}): the guarded stock decrement and its reservation, the
 * guarded debit and its payment, the order inserted CONFIRMED, one commit; run again from the start when the database
 * refuses to serialize it (SQLSTATE 40001, or 40P01), as the flow's retry does, but at once: the flow first waits a
 * jittered backoff, which only matters under contention, and at this rate over 1000 SKUs and 1000 customers a retry
 * is rare (the run reports how many there were). A few client threads over kept connections, as the flow's pool.
 * Unlike the comparison's floor lane (the same writes at READ COMMITTED), this is the isolation the flow runs at.
 */
final class CockroachMechanism implements Mechanism {

    private static final int CLIENTS = 4;
    /** As the flow's default {@code txlab.cockroach.max-retries}; an order that needs more fails the run. */
    private static final int MAX_RETRIES = 15;
    private static final Set<String> RETRYABLE = Set.of("40001", "40P01");

    private final MechanismDatabases db;
    private final AtomicLong retries = new AtomicLong();
    private BlockingQueue<Connection> connections;
    private ExecutorService workers;
    private Completion completion;

    CockroachMechanism(Topology topology) {
        this.db = new MechanismDatabases(topology, List.of(Topology.POSTGRES_COCKROACH));
    }

    @Override
    public Set<String> components() {
        return Set.of(Topology.POSTGRES_COCKROACH);
    }

    @Override
    public String describe() {
        return "one SERIALIZABLE transaction on " + Topology.POSTGRES_COCKROACH + " (" + Topology.COCKROACH_BACKEND
                + "): reserve + charge + order CONFIRMED, 1 commit, rerun on 40001";
    }

    @Override
    public long confirmedOrders() throws Exception {
        return db.confirmed();
    }

    @Override
    public Map<String, Object> counters() {
        return Map.of("serializationRetries", retries.get());
    }

    @Override
    public void start(Completion completion) throws Exception {
        this.completion = completion;
        db.prepare();
        connections = db.pool(Topology.POSTGRES_COCKROACH, CLIENTS);
        for (Connection c : connections) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        }
        workers = Executors.newFixedThreadPool(CLIENTS, r -> new Thread(r, "cockroach-client"));
    }

    @Override
    public void place(MechanismDatabases.Order order) {
        Mechanism.onPooled(workers, connections, order, completion, c -> {
            placeSerializably(c, order);
            completion.done(order, null);
        });
    }

    private void placeSerializably(Connection c, MechanismDatabases.Order order) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                MechanismDatabases.reserve(c, order);
                MechanismDatabases.charge(c, order);
                MechanismDatabases.insertConfirmed(c, order);
                c.commit();
                return;
            } catch (SQLException e) {
                c.rollback();
                if (!RETRYABLE.contains(e.getSQLState()) || attempt == MAX_RETRIES) {
                    throw e;
                }
                retries.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
        db.close();
    }
}

package io.txlab.loadtests.floor;

import io.txlab.devstack.Topology;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Flow twopc's mechanism: the order committed PENDING in its own database, then one global transaction over three
 * branches (order: confirm; inventory: reserve; payment: charge) as the coordinator runs it, over plain JDBC: the
 * coordinator log row BEGUN (lazy commit), each branch's work and PREPARE TRANSACTION in parallel, the COMMIT decision
 * forced to the log, COMMIT PREPARED on every branch in parallel, the log row completed (lazy). The same protocol as
 * {@code ./txlab twopc-bench}, at an open-model rate on the stack's own clusters.
 */
final class TwopcMechanism implements Mechanism {

    private static final int CLIENTS = 4;
    private static final List<String> BRANCHES = List.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY,
            Topology.POSTGRES_PAYMENT);

    private final MechanismDatabases db;
    private final BlockingQueue<Client> clients = new ArrayBlockingQueue<>(CLIENTS);
    private ExecutorService workers;
    private ExecutorService parallel;
    private Completion completion;

    TwopcMechanism(Topology topology) {
        this.db = new MechanismDatabases(topology, List.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY,
                Topology.POSTGRES_PAYMENT, Topology.POSTGRES_COORDINATOR));
    }

    @Override
    public Set<String> components() {
        return Set.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY, Topology.POSTGRES_PAYMENT,
                Topology.POSTGRES_COORDINATOR);
    }

    @Override
    public long confirmedOrders() throws Exception {
        return db.confirmed();
    }

    @Override
    public String describe() {
        return "order committed PENDING; log BEGUN (lazy); confirm/reserve/charge + PREPARE on 3 clusters in parallel; "
                + "decision forced; COMMIT PREPARED x3 in parallel; log COMMITTED (lazy)";
    }

    @Override
    public void start(Completion completion) throws Exception {
        this.completion = completion;
        db.prepare();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new Client());
        }
        workers = Executors.newFixedThreadPool(CLIENTS, r -> new Thread(r, "twopc-client"));
        parallel = Executors.newFixedThreadPool(CLIENTS * (BRANCHES.size() - 1), r -> new Thread(r, "twopc-branch"));
    }

    @Override
    public void place(MechanismDatabases.Order order) {
        Mechanism.onPooled(workers, clients, order, completion, client -> {
            client.run(order);
            completion.done(order, null);
        });
    }

    /** One client's connections: the order database for the local commit, three branches, the coordinator log. */
    private final class Client {
        final Connection local;
        final Connection[] branches = new Connection[BRANCHES.size()];
        final Connection lazyLog;
        final Connection forcedLog;

        Client() throws SQLException {
            local = db.connect(Topology.POSTGRES_ORDER);
            for (int i = 0; i < branches.length; i++) {
                branches[i] = db.connect(BRANCHES.get(i));
            }
            lazyLog = db.connect(Topology.POSTGRES_COORDINATOR);
            try (Statement s = lazyLog.createStatement()) {
                s.execute("SET synchronous_commit = off");
            }
            lazyLog.commit();
            forcedLog = db.connect(Topology.POSTGRES_COORDINATOR);
        }

        void run(MechanismDatabases.Order o) throws Exception {
            MechanismDatabases.placeOrder(local, o);
            local.commit();
            String gid = "txlab_" + o.id();
            log(lazyLog, "INSERT INTO decision (gid, state) VALUES (?, 'BEGUN')", gid);
            eachBranch(i -> {
                Connection c = branches[i];
                switch (i) {
                    case 0 -> MechanismDatabases.confirm(c, o);
                    case 1 -> MechanismDatabases.reserve(c, o);
                    default -> MechanismDatabases.charge(c, o);
                }
                try (Statement s = c.createStatement()) {
                    s.execute("PREPARE TRANSACTION '" + gid + ".p" + (i + 1) + "'");
                }
                c.commit(); // the session is idle after PREPARE; PgJDBC sends nothing
            });
            log(forcedLog, "UPDATE decision SET state = 'COMMITTING', decided_at = now() WHERE gid = ? AND state = 'BEGUN'", gid);
            eachBranch(i -> {
                Connection c = branches[i];
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("COMMIT PREPARED '" + gid + ".p" + (i + 1) + "'");
                } finally {
                    c.setAutoCommit(false);
                }
            });
            log(lazyLog, "UPDATE decision SET state = 'COMMITTED', completed_at = now() WHERE gid = ?", gid);
        }

        private void log(Connection c, String sql, String gid) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, gid);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("coordinator log refused " + gid);
                }
            }
            c.commit();
        }

        /** Branch 0 on this thread, the others in parallel, like the coordinator. */
        private void eachBranch(Step step) throws Exception {
            Future<?>[] others = new Future<?>[branches.length];
            for (int i = 1; i < branches.length; i++) {
                int index = i;
                others[i] = parallel.submit(() -> {
                    step.run(index);
                    return null;
                });
            }
            step.run(0);
            for (int i = 1; i < branches.length; i++) {
                others[i].get();
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run(int branch) throws Exception;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
            parallel.shutdownNow();
        }
        db.close();
    }
}

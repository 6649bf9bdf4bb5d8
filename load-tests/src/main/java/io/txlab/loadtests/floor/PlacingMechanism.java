package io.txlab.loadtests.floor;

import io.txlab.devstack.Topology;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the saga mechanisms share: their databases, and the order service's part of {@link #place}: the order
 * committed PENDING on a pooled connection of a few placer threads, then the step that sets the saga going.
 */
abstract class PlacingMechanism implements Mechanism {

    private static final int PLACERS = 4;

    protected final Topology topology;
    protected final MechanismDatabases db;
    protected volatile Completion completion;
    private ExecutorService placers;
    private BlockingQueue<Connection> placing;

    protected PlacingMechanism(Topology topology) {
        this.topology = topology;
        this.db = new MechanismDatabases(topology, List.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY,
                Topology.POSTGRES_PAYMENT));
    }

    @Override
    public long confirmedOrders() throws Exception {
        return db.confirmed();
    }

    /** Creates the databases and the placers; the subclass then sets up its broker or workers. */
    protected void startPlacing(Completion completion) throws SQLException {
        this.completion = completion;
        db.prepare();
        placing = db.pool(Topology.POSTGRES_ORDER, PLACERS);
        placers = Executors.newFixedThreadPool(PLACERS, r -> new Thread(r, "order-placer"));
    }

    /** In the order's PENDING transaction, before its commit: what the flow writes with it (an outbox row); none here. */
    protected void placing(Connection c, MechanismDatabases.Order order) throws Exception {
    }

    /** After the order's PENDING row has committed: publish its event, start its workflow. */
    protected abstract void afterPlaced(MechanismDatabases.Order order) throws Exception;

    @Override
    public void place(MechanismDatabases.Order order) {
        Mechanism.onPooled(placers, placing, order, completion, c -> {
            MechanismDatabases.placeOrder(c, order);
            placing(c, order);
            c.commit();
            afterPlaced(order);
        });
    }

    /** Stops placing; the subclass closes its own clients, then calls {@link #dropDatabases()}. */
    protected void stopPlacing() {
        if (placers != null) {
            placers.shutdownNow();
        }
    }

    protected void dropDatabases() {
        db.close();
    }
}

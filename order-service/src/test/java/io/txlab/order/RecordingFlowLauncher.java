package io.txlab.order;

import io.txlab.contracts.Flow;
import io.txlab.order.order.FlowLauncher;
import io.txlab.order.order.Order;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The test build's launcher for {@link Flow#CHOREOGRAPHY} (the production build has none yet): records each start
 * and whether the order row was already committed, i.e. readable on a connection of its own, when it ran.
 */
public class RecordingFlowLauncher implements FlowLauncher {

    /** One call of {@link #start}. */
    public record Start(UUID orderId, boolean committedBeforeStart) {
    }

    private final JdbcClient jdbc;
    private final List<Start> starts = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNext = new AtomicBoolean();

    public RecordingFlowLauncher(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Flow flow() {
        return Flow.CHOREOGRAPHY;
    }

    @Override
    public void start(Order order) {
        boolean committed = jdbc.sql("SELECT count(*) FROM purchase_order WHERE id = ?")
                .param(order.id())
                .query(Long.class)
                .single() == 1;
        starts.add(new Start(order.id(), committed));
        if (failNext.getAndSet(false)) {
            throw new IllegalStateException("simulated: the flow could not be started");
        }
    }

    public List<Start> starts(UUID orderId) {
        return starts.stream().filter(start -> start.orderId().equals(orderId)).toList();
    }

    /** The next {@link #start} throws, as a launcher does when its transport is down. */
    public void failNext() {
        failNext.set(true);
    }
}

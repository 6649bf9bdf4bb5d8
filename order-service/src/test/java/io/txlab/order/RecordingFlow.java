package io.txlab.order;

import io.txlab.contracts.Flow;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.order.PendingOrderFlow;
import io.txlab.order.saga.ParticipantSteps;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The test context's flow {@link Flow#CHOREOGRAPHY} (the real one is off there: no Kafka): places through the core like
 * every flow over order-service's database, records each start and whether the order row was already committed, i.e.
 * readable on a connection of its own, when it ran.
 */
public class RecordingFlow extends PendingOrderFlow {

    /** One call of {@link #start}. */
    public record Start(UUID orderId, boolean committedBeforeStart) {
    }

    private final OrderService orders;
    private final ParticipantSteps participants;
    private final JdbcClient jdbc;
    private final List<Start> starts = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNext = new AtomicBoolean();
    private final AtomicBoolean confirmNext = new AtomicBoolean();

    public RecordingFlow(OrderService orders, ParticipantSteps participants, JdbcClient jdbc) {
        super(Flow.CHOREOGRAPHY, orders);
        this.orders = orders;
        this.participants = participants;
        this.jdbc = jdbc;
    }

    /** As the real choreography flow describes its orders: from the participants' records. */
    @Override
    public OrderSteps steps(Order order) {
        return participants.view(order);
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
        if (confirmNext.getAndSet(false)) {
            orders.confirm(order.id());
        }
    }

    public List<Start> starts(UUID orderId) {
        return starts.stream().filter(start -> start.orderId().equals(orderId)).toList();
    }

    /**
     * The next {@link #start} confirms the order before it returns, as a flow does that finishes on the caller's
     * thread (twopc when its launcher's queue is full).
     */
    public void confirmNext() {
        confirmNext.set(true);
    }

    /** The next {@link #start} throws, as a flow's start does when its transport is down. */
    public void failNext() {
        failNext.set(true);
    }
}

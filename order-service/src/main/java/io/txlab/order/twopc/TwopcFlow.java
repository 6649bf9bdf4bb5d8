package io.txlab.order.twopc;

import io.txlab.contracts.Flow;
import io.txlab.contracts.twopc.Gid;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderSteps.Step;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.order.PendingOrderFlow;
import io.txlab.order.saga.ParticipantSteps;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.tracing.OrderTracing;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Starts flow {@code twopc} for a placed order: hands it to a bounded pool that runs the two-phase commit through
 * the coordinator ({@link TwopcSettlement}), so {@code POST /orders} answers 201 PENDING like every other flow and
 * clients wait for the outcome with the long-poll.
 *
 * <p>Why not synchronously on the request thread, which would look like the "honest" shape of 2PC (one call, atomic
 * answer)? The atomicity is the same either way - the order row, stock and money change in one global transaction -
 * but the load tests compare flows by the same client contract (POST, then long-poll to the final state), and a
 * protocol whose prepare may wait up to the coordinator's timeout should not pin a Tomcat thread per order. When the
 * pool and its queue are full the request thread does run the protocol itself ({@code CallerRunsPolicy}): back-pressure
 * on the client, never a dropped order. A process killed with orders queued or in flight leaves them PENDING for
 * {@link TwopcRecoverySweep}.
 */
@Component
@ConditionalOnFlow(Flow.TWOPC)
public class TwopcFlow extends PendingOrderFlow implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TwopcFlow.class);

    private final CoordinatorApi coordinator;
    private final ParticipantSteps participants;
    private final TwopcSettlement settlement;
    private final ThreadPoolExecutor pool;
    private final OrderTracing tracing;

    public TwopcFlow(OrderService orders, TwopcSettlement settlement, TwopcFlowProperties properties,
                     OrderTracing tracing, CoordinatorApi coordinator, ParticipantSteps participants) {
        super(Flow.TWOPC, orders);
        this.coordinator = coordinator;
        this.participants = participants;
        this.settlement = settlement;
        this.tracing = tracing;
        AtomicInteger threads = new AtomicInteger();
        int size = Math.max(1, properties.launcher().threads());
        this.pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, properties.launcher().queueCapacity())),
                runnable -> {
                    Thread thread = new Thread(runnable, "twopc-launcher-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.CallerRunsPolicy());
        this.pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void start(Order order) {
        // After shutdown CallerRunsPolicy discards silently: refuse instead, so place() cancels the order.
        if (pool.isShutdown()) {
            throw new IllegalStateException("twopc launcher is shut down");
        }
        // The protocol runs on a pool thread but stays in the order's trace (and keeps its orderId baggage).
        pool.execute(tracing.wrap(() -> settlement.settle(order)));
    }

    /**
     * The coordinator's decision on gid {@code txlab_<order id>} plus the participants' records (which exist only if
     * the global transaction committed).
     */
    @Override
    public OrderSteps steps(Order order) {
        String gid = Gid.of(order.id());
        List<Step> decision = List.of();
        String note = null;
        try {
            decision = List.of(new Step("global-transaction", coordinator.decision(gid).name(), null, gid));
        } catch (RuntimeException e) {
            note = "coordinator unavailable: " + e.getClass().getSimpleName();
        }
        return participants.view(order, "coordinator+participants", decision, Collections.singletonList(note));
    }

    /** Protocols queued or running now. */
    public int inFlight() {
        return pool.getQueue().size() + pool.getActiveCount();
    }

    @Override
    public void destroy() throws InterruptedException {
        pool.shutdown();
        // Graceful stop: let running protocols reach their decision; what is left is the sweep's after restart.
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("twopc launcher stopped with {} orders unsettled; the recovery sweep settles them", inFlight());
            pool.shutdownNow();
        }
    }
}

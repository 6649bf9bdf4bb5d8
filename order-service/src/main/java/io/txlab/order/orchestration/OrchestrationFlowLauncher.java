package io.txlab.order.orchestration;

import io.txlab.contracts.Flow;
import io.txlab.order.order.FlowLauncher;
import io.txlab.order.order.Order;
import io.txlab.platform.tracing.OrderTracing;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Flow {@code orchestration}: hands the committed order to a small pool that starts its {@code PlaceOrderWorkflow}
 * (the saga then runs in saga-orchestrator and finalizes the order through {@link OrderActivitiesImpl}); the POST
 * answers 201 PENDING without waiting for Temporal.
 *
 * <p>This launcher never throws: a start that fails (Temporal unreachable, a timeout that may or may not have started
 * the workflow, a full queue, or this process dying first) leaves the order PENDING, and
 * {@link PendingSagaRecovery} starts it later. Cancelling the order instead would be wrong when the start was only
 * ambiguous: the saga could then run and charge for a cancelled order.
 */
@Component
public class OrchestrationFlowLauncher implements FlowLauncher, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OrchestrationFlowLauncher.class);

    private final PlaceOrderSagas sagas;
    private final ThreadPoolExecutor starters;
    private final OrderTracing tracing;

    public OrchestrationFlowLauncher(PlaceOrderSagas sagas, OrchestrationProperties properties,
                                     OrderTracing tracing) {
        this.sagas = sagas;
        this.tracing = tracing;
        AtomicInteger threads = new AtomicInteger();
        this.starters = new ThreadPoolExecutor(properties.launcherThreads(), properties.launcherThreads(),
                0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.launcherQueueCapacity()), runnable -> {
                    Thread thread = new Thread(runnable, "orchestration-start-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public Flow flow() {
        return Flow.ORCHESTRATION;
    }

    @Override
    public void start(Order order) {
        try {
            // The workflow start (and through Temporal's headers the whole saga) stays in the order's trace.
            starters.execute(tracing.wrap(() -> startNow(order)));
        } catch (RejectedExecutionException e) {
            log.warn("saga start queue full; order {} is left to the recovery sweep", order.id());
        }
    }

    private void startNow(Order order) {
        try {
            sagas.start(order);
        } catch (RuntimeException e) {
            log.warn("saga of order {} did not start ({}); the recovery sweep will retry", order.id(), e.toString());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        // Starts still queued are not lost: their orders are PENDING and the next process's sweep starts them.
        starters.shutdown();
        starters.awaitTermination(5, TimeUnit.SECONDS);
    }
}

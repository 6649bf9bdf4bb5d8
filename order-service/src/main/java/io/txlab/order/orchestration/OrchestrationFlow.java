package io.txlab.order.orchestration;

import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.SagaStep;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderSteps.Step;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.order.PendingOrderFlow;
import io.txlab.order.saga.ParticipantSteps;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.tracing.OrderTracing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * <p>{@link #start} never throws: a start that fails (Temporal unreachable, a timeout that may or may not have started
 * the workflow, a full queue, or this process dying first) leaves the order PENDING, and
 * {@link PendingSagaRecovery} starts it later. Cancelling the order instead would be wrong when the start was only
 * ambiguous: the saga could then run and charge for a cancelled order.
 */
@Component
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class OrchestrationFlow extends PendingOrderFlow implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(OrchestrationFlow.class);

    private final ParticipantSteps participants;
    private final PlaceOrderSagas sagas;
    private final ThreadPoolExecutor starters;
    private final OrderTracing tracing;

    public OrchestrationFlow(OrderService orders, PlaceOrderSagas sagas, OrchestrationProperties properties,
                             OrderTracing tracing, ParticipantSteps participants) {
        super(Flow.ORCHESTRATION, orders);
        this.participants = participants;
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

    /**
     * The workflow's {@code state} query: steps and compensations with workflow times, {@code stuck} and the last
     * failure, and the query's whole answer as {@link OrderSteps#flowDetail()}. With no saga yet, Temporal down or no
     * worker to answer, the participants' records.
     */
    @Override
    public OrderSteps steps(Order order) {
        SagaState state;
        try {
            state = sagas.state(order.id());
        } catch (RuntimeException e) {
            // No saga yet, Temporal down, or no worker to answer the query: the participants still know.
            return participants.view(order, "workflow state unavailable: " + e.getClass().getSimpleName());
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("place-order", "PENDING", order.createdAt(), null));
        state.completedSteps().forEach(step -> steps.add(new Step(name(step.step()), "COMPLETED", step.at(), null)));
        if (state.currentStep() != null && state.currentStep() != SagaStep.FINISHED) {
            steps.add(new Step(name(state.currentStep()), state.stuck() ? "STUCK" : "RUNNING", null, null));
        }
        List<Step> compensations = state.compensations().stream()
                .map(step -> new Step(name(step.step()), "COMPLETED", step.at(), null))
                .toList();
        List<String> notes = new ArrayList<>();
        if (state.stuck()) {
            notes.add("stuck: waiting for the next retry round");
        }
        if (state.lastFailure() != null) {
            notes.add("last failure: " + state.lastFailure());
        }
        return new OrderSteps(order.id(), order.flow().id(), order.status().name(), order.reason(), "workflow",
                steps, compensations, notes.isEmpty() ? null : String.join("; ", notes), state);
    }

    private static String name(SagaStep step) {
        return step.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public void destroy() throws InterruptedException {
        // Starts still queued are not lost: their orders are PENDING and the next process's sweep starts them.
        starters.shutdown();
        starters.awaitTermination(5, TimeUnit.SECONDS);
    }
}

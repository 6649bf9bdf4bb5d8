package io.txlab.orchestrator.orchestration;

import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.inventory.StockLine;
import io.txlab.contracts.orchestration.AuthorizePayment;
import io.txlab.contracts.orchestration.CancelOrder;
import io.txlab.contracts.orchestration.ConfirmOrder;
import io.txlab.contracts.orchestration.InventoryActivities;
import io.txlab.contracts.orchestration.OrderActivities;
import io.txlab.contracts.orchestration.PaymentActivities;
import io.txlab.contracts.orchestration.PaymentAuthorizationResult;
import io.txlab.contracts.orchestration.PlaceOrderResult;
import io.txlab.contracts.orchestration.PlaceOrderWorkflowInput;
import io.txlab.contracts.orchestration.RefundPayment;
import io.txlab.contracts.orchestration.ReleaseStock;
import io.txlab.contracts.orchestration.ReserveStock;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.SagaState.StepRecord;
import io.txlab.contracts.orchestration.SagaStep;
import io.txlab.contracts.orchestration.SettleReservation;
import io.txlab.contracts.orchestration.StockReservationResult;
import io.txlab.contracts.orchestration.TaskQueues;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;

/**
 * The order saga. Compensations are kept on an explicit stack (not {@code io.temporal.workflow.Saga}) so that the
 * query can report each one with its time, and so a step that must not be abandoned can be retried in rounds while
 * the saga shows itself stuck.
 *
 * <p>Rules this class keeps: a step's compensation is pushed <em>before</em> the step is called, because a timed-out
 * attempt may have taken effect; it is popped again only on a definitive refusal (the activity is idempotent per
 * order, so a refusal proves nothing was applied). Compensations run newest first, in a detached cancellation scope,
 * so that cancelling the workflow cannot interrupt them. Payment authorization is the pivot: after it succeeds the
 * saga confirms the order and never compensates on its own.
 *
 * <p>An order with a deadline (adr/0038) bounds each step before the pivot by the time left: a step still unanswered
 * at the deadline times out, and the saga then <em>cancels the order first</em> with {@code DEADLINE_EXCEEDED} and
 * compensates after, so the customer learns the outcome at the deadline and a step that answers late cannot confirm
 * a cancelled order; the compensations then run until done, as always.
 *
 * <p>Stock that inventory held under a semantic lock (the reserve answered {@code pending}, ADR 44) is settled after the
 * order is confirmed, until done; a cancelled order's release lifts the lock with the stock.
 */
public class PlaceOrderWorkflowImpl implements PlaceOrderWorkflow {

    private static final Logger log = Workflow.getLogger(PlaceOrderWorkflowImpl.class);

    /** Inventory's steps that must complete: the release (compensation) and the settling of a semantic lock. */
    private final InventoryActivities inventoryUntilDone = Workflow.newActivityStub(InventoryActivities.class,
            SagaActivityOptions.mustComplete(TaskQueues.INVENTORY));
    private final PaymentActivities paymentCompensation = Workflow.newActivityStub(PaymentActivities.class,
            SagaActivityOptions.mustComplete(TaskQueues.PAYMENT));
    private final OrderActivities orders = Workflow.newActivityStub(OrderActivities.class,
            SagaActivityOptions.mustComplete(TaskQueues.ORDER));

    private final Deque<Compensation> compensations = new ArrayDeque<>();
    private final List<StepRecord> completedSteps = new ArrayList<>();
    private final List<StepRecord> compensationsDone = new ArrayList<>();
    private UUID orderId;
    private Instant deadline;
    private boolean stepBoundByDeadline;
    private SagaStep currentStep = SagaStep.RESERVE_STOCK;
    private boolean stuck;
    private String lastFailure;
    private PlaceOrderResult outcome;

    private record Compensation(SagaStep step, Runnable action) {
    }

    @Override
    public PlaceOrderResult placeOrder(PlaceOrderWorkflowInput input) {
        orderId = input.orderId();
        deadline = input.deadline();
        StockReservationResult stock;
        try {
            currentStep = SagaStep.RESERVE_STOCK;
            if (pastDeadline()) {
                lastFailure = currentStep + ": deadline passed before the step";
                return cancelAtDeadline();
            }
            compensations.push(new Compensation(SagaStep.RELEASE_STOCK,
                    () -> inventoryUntilDone.releaseStock(ReleaseStock.forOrder(orderId))));
            stock = forwardStep(InventoryActivities.class, TaskQueues.INVENTORY)
                    .reserveStock(ReserveStock.forOrder(orderId, stockLines(input)));
            if (stock.status() == StockReservationResult.Status.REJECTED) {
                compensations.pop();
                return cancel(stock.reason());
            }
            stepCompleted(SagaStep.RESERVE_STOCK);

            currentStep = SagaStep.AUTHORIZE_PAYMENT;
            if (pastDeadline()) {
                lastFailure = currentStep + ": deadline passed before the step";
                return cancelAtDeadline();
            }
            compensations.push(new Compensation(SagaStep.REFUND_PAYMENT,
                    () -> paymentCompensation.refundPayment(RefundPayment.forOrder(orderId))));
            PaymentAuthorizationResult paid = forwardStep(PaymentActivities.class, TaskQueues.PAYMENT).authorizePayment(
                    AuthorizePayment.forOrder(orderId, input.customerId(), input.total()));
            if (paid.status() == PaymentAuthorizationResult.Status.DECLINED) {
                compensations.pop();
                return cancel(paid.reason());
            }
            stepCompleted(SagaStep.AUTHORIZE_PAYMENT);
        } catch (ActivityFailure | CanceledFailure e) {
            // Retries exhausted, or an operator cancelled the workflow before the pivot: the step may or may not have
            // been applied, so every registered compensation runs (they are idempotent and accept unknown orders).
            recordFailure(currentStep, e);
            return pastDeadline() || stoppedByDeadline(e) ? cancelAtDeadline() : cancel(RejectionReason.TECHNICAL_FAILURE);
        }

        currentStep = SagaStep.CONFIRM_ORDER;
        Workflow.newDetachedCancellationScope(
                () -> untilDone(SagaStep.CONFIRM_ORDER, () -> orders.confirmOrder(ConfirmOrder.forOrder(orderId))))
                .run();
        stepCompleted(SagaStep.CONFIRM_ORDER);
        if (stock.pending()) {
            // The stock was held under a semantic lock (ADR 44): the order is final now, so the lock is lifted. After
            // the confirmation, so the customer's answer does not wait for it; competing orders wait one step longer.
            currentStep = SagaStep.SETTLE_RESERVATION;
            Workflow.newDetachedCancellationScope(() -> untilDone(SagaStep.SETTLE_RESERVATION,
                    () -> inventoryUntilDone.settleReservation(SettleReservation.forOrder(orderId)))).run();
            stepCompleted(SagaStep.SETTLE_RESERVATION);
        }
        return finish(PlaceOrderResult.confirmed(orderId));
    }

    @Override
    public SagaState state() {
        return new SagaState(orderId, currentStep, completedSteps, compensationsDone, stuck, lastFailure, outcome);
    }

    private PlaceOrderResult cancel(RejectionReason reason) {
        Workflow.newDetachedCancellationScope(() -> {
            compensateAll();
            currentStep = SagaStep.CANCEL_ORDER;
            untilDone(SagaStep.CANCEL_ORDER, () -> orders.cancelOrder(CancelOrder.forOrder(orderId, reason)));
            stepCompleted(SagaStep.CANCEL_ORDER);
        }).run();
        return finish(PlaceOrderResult.cancelled(orderId, reason));
    }

    /** A stub for one step before the pivot, bounded by the time left until the order's deadline. */
    private <T> T forwardStep(Class<T> activities, String taskQueue) {
        Duration left = deadline == null ? null
                : Duration.ofMillis(deadline.toEpochMilli() - Workflow.currentTimeMillis());
        stepBoundByDeadline = left != null && left.compareTo(SagaActivityOptions.FORWARD_STEP_BOUND) < 0;
        return Workflow.newActivityStub(activities, SagaActivityOptions.forwardStep(taskQueue, left));
    }

    /**
     * The step ran out of time the deadline gave it: it timed out, or Temporal stopped retrying because the next attempt
     * would start after its schedule-to-close bound (retry state TIMEOUT), which the deadline had set.
     */
    private boolean stoppedByDeadline(Exception failure) {
        return stepBoundByDeadline && failure instanceof ActivityFailure activity
                && (activity.getRetryState() == RetryState.RETRY_STATE_TIMEOUT
                || activity.getCause() instanceof TimeoutFailure);
    }

    private boolean pastDeadline() {
        return deadline != null && Workflow.currentTimeMillis() >= deadline.toEpochMilli();
    }

    /**
     * The deadline passed before the pivot: the order is cancelled with {@code DEADLINE_EXCEEDED} first (order-service
     * answers even while the step's participant does not), then every registered compensation runs until done.
     */
    private PlaceOrderResult cancelAtDeadline() {
        log.info("saga {} passed its deadline {} at {}: cancelling, then compensating", orderId, deadline, currentStep);
        Workflow.newDetachedCancellationScope(() -> {
            currentStep = SagaStep.CANCEL_ORDER;
            untilDone(SagaStep.CANCEL_ORDER, () -> orders.cancelOrder(
                    CancelOrder.forOrder(orderId, RejectionReason.DEADLINE_EXCEEDED)));
            stepCompleted(SagaStep.CANCEL_ORDER);
            compensateAll();
        }).run();
        return finish(PlaceOrderResult.cancelled(orderId, RejectionReason.DEADLINE_EXCEEDED));
    }

    /** Every registered compensation, newest first, each until done. */
    private void compensateAll() {
        while (!compensations.isEmpty()) {
            Compensation compensation = compensations.peek();
            currentStep = compensation.step();
            untilDone(compensation.step(), compensation.action());
            compensations.pop();
            compensationsDone.add(now(compensation.step()));
        }
    }

    /**
     * Runs a step that must not be abandoned: each call is one retry round ({@link SagaActivityOptions#mustComplete});
     * after a failed round the saga reports itself stuck with the failure and tries again after a growing pause.
     */
    private void untilDone(SagaStep step, Runnable action) {
        for (int round = 1; ; round++) {
            try {
                action.run();
                stuck = false;
                return;
            } catch (ActivityFailure e) {
                recordFailure(step, e);
                stuck = true;
                var pause = SagaActivityOptions.pauseBeforeRound(round + 1);
                log.warn("saga {} stuck on {} after retry round {}: {}; next round in {}", orderId, step, round,
                        lastFailure, pause);
                Workflow.sleep(pause);
            }
        }
    }

    private void recordFailure(SagaStep step, Exception failure) {
        lastFailure = step + ": " + describe(failure);
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof ActivityFailure && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ApplicationFailure app) {
            return app.getType() + ": " + app.getOriginalMessage();
        }
        if (cause instanceof TimeoutFailure timeout) {
            // A schedule-to-close timeout wraps the last attempt's failure, which is what an operator needs to see.
            return "timeout " + timeout.getTimeoutType()
                    + (timeout.getCause() != null ? " after " + describe(timeout.getCause()) : "");
        }
        if (cause instanceof CanceledFailure) {
            return "workflow cancelled";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private void stepCompleted(SagaStep step) {
        completedSteps.add(now(step));
    }

    private PlaceOrderResult finish(PlaceOrderResult result) {
        outcome = result;
        currentStep = SagaStep.FINISHED;
        log.info("saga {} finished: {}", orderId, result);
        return result;
    }

    private static StepRecord now(SagaStep step) {
        return new StepRecord(step, Instant.ofEpochMilli(Workflow.currentTimeMillis()));
    }

    private static List<StockLine> stockLines(PlaceOrderWorkflowInput input) {
        return input.lines().stream().map(line -> new StockLine(line.sku(), line.quantity())).toList();
    }
}

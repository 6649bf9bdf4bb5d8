package io.txlab.contracts.orchestration;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What {@code PlaceOrderWorkflow}'s query {@link Workflows#PLACE_ORDER_STATE_QUERY} returns: where the saga is, what it
 * has done and whether it needs an operator. Served over HTTP by saga-orchestrator ({@code GET /sagas/{orderId}}).
 *
 * @param currentStep    the step running now (or waiting to be retried); {@link SagaStep#FINISHED} at the end
 * @param completedSteps forward steps that completed, in order ({@code CANCEL_ORDER} is listed here too)
 * @param compensations  compensations that completed, in the order they ran (reverse of the forward steps)
 * @param stuck          {@code true} while a step that must not be abandoned (a compensation, {@code cancelOrder},
 *                       or {@code confirmOrder} after payment) has exhausted a retry round and waits for the next one;
 *                       the saga keeps retrying, it is never dropped
 * @param lastFailure    the latest activity failure seen by the saga, {@code null} if none; kept after recovery
 * @param outcome        {@code null} until the workflow has finished
 */
public record SagaState(UUID orderId, SagaStep currentStep, List<StepRecord> completedSteps,
        List<StepRecord> compensations, boolean stuck, String lastFailure, PlaceOrderResult outcome) {

    public SagaState {
        completedSteps = List.copyOf(completedSteps);
        compensations = List.copyOf(compensations);
    }

    /**
     * One completed step.
     *
     * @param at workflow time ({@code Workflow.currentTimeMillis()}) when the saga saw the step complete
     */
    public record StepRecord(SagaStep step, Instant at) {
    }
}

package io.txlab.orchestrator.orchestration;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.txlab.contracts.orchestration.PlaceOrderResult;
import io.txlab.contracts.orchestration.PlaceOrderWorkflowInput;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.Workflows;

/**
 * The order saga of flow {@code orchestration}: reserve stock → authorize payment → confirm order, compensating in
 * reverse order when a step refuses or keeps failing. Runs on task queue {@code saga-orchestrator}; the workflow id is
 * the order id. Type and query names come from {@link Workflows} so order-service can use an untyped stub.
 */
@WorkflowInterface
public interface PlaceOrderWorkflow {

    /** Runs the saga to its end; the order is final (confirmed or cancelled) when this returns. */
    @WorkflowMethod(name = Workflows.PLACE_ORDER)
    PlaceOrderResult placeOrder(PlaceOrderWorkflowInput input);

    /** Current step, completed steps and compensations, and whether the saga is stuck on a failing step. */
    @QueryMethod(name = Workflows.PLACE_ORDER_STATE_QUERY)
    SagaState state();
}

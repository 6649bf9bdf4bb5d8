package io.txlab.order.orchestration;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.PlaceOrderWorkflowInput;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.contracts.orchestration.Workflows;
import io.txlab.order.order.Order;
import io.txlab.platform.flows.ConditionalOnFlow;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * order-service's handle on {@code PlaceOrderWorkflow}, through untyped stubs and the names in the contracts (the
 * workflow's code lives in saga-orchestrator): start an order's saga at most once, and read its state.
 */
@Component
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class PlaceOrderSagas {

    /** What {@link #start} found. */
    public enum Start { STARTED, ALREADY_STARTED }

    private final WorkflowClient client;

    public PlaceOrderSagas(WorkflowClient client) {
        this.client = client;
    }

    /**
     * Starts the order's saga and returns as soon as Temporal has recorded the start (it does not wait for the saga).
     * The workflow id is the order id and {@code REJECT_DUPLICATE} refuses a second run even after the first closed,
     * so a repeated start (a recovery sweep, a retried request) finds {@link Start#ALREADY_STARTED} and changes
     * nothing.
     *
     * @throws io.temporal.client.WorkflowServiceException when Temporal is unreachable (the saga may or may not
     *                                                     have started; a later call settles it)
     */
    public Start start(Order order) {
        WorkflowStub stub = client.newUntypedWorkflowStub(Workflows.PLACE_ORDER, WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.SAGA_ORCHESTRATOR)
                .setWorkflowId(Workflows.placeOrderWorkflowId(order.id()))
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        try {
            stub.start(new PlaceOrderWorkflowInput(order.id(), order.customerId(), order.lines(), order.total(),
                    order.deadlineAt()));
            return Start.STARTED;
        } catch (WorkflowExecutionAlreadyStarted e) {
            return Start.ALREADY_STARTED;
        }
    }

    /**
     * The saga's state from its query (answered by a saga-orchestrator worker, also after the saga finished).
     *
     * @throws io.temporal.client.WorkflowNotFoundException if the order has no saga (yet)
     * @throws io.temporal.client.WorkflowException         if Temporal or the orchestrator cannot answer now
     */
    public SagaState state(UUID orderId) {
        return client.newUntypedWorkflowStub(Workflows.placeOrderWorkflowId(orderId))
                .query(Workflows.PLACE_ORDER_STATE_QUERY, SagaState.class);
    }
}

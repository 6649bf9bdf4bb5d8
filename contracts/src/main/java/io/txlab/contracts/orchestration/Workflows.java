package io.txlab.contracts.orchestration;

import java.util.UUID;

/**
 * Names that let order-service start and query {@code PlaceOrderWorkflow} through an untyped stub
 * ({@code WorkflowClient.newUntypedWorkflowStub(PLACE_ORDER, options)}) without depending on saga-orchestrator.
 */
public final class Workflows {

    /** Workflow type of the order saga; the implementation lives in saga-orchestrator. */
    public static final String PLACE_ORDER = "PlaceOrderWorkflow";
    /** Query returning {@link SagaState}. */
    public static final String PLACE_ORDER_STATE_QUERY = "state";

    private Workflows() {
    }

    /**
     * The workflow id of an order's saga: the order id itself, so that starting the saga twice for one order is
     * refused by Temporal (a repeated request cannot start a second saga) and anyone who knows the order finds its
     * saga.
     */
    public static String placeOrderWorkflowId(UUID orderId) {
        return orderId.toString();
    }
}

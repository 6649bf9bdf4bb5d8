package io.txlab.contracts.orchestration;

/**
 * Temporal task queue names of flow {@code orchestration}, defined once. Each queue is polled by exactly one kind of
 * process, so an activity always runs inside the service that owns its data.
 */
public final class TaskQueues {

    /** Workflow tasks of {@code PlaceOrderWorkflow}; polled by saga-orchestrator. order-service starts workflows here. */
    public static final String SAGA_ORCHESTRATOR = "saga-orchestrator";
    /** {@link OrderActivities}; polled by order-service. */
    public static final String ORDER = "order";
    /** {@link InventoryActivities}; polled by inventory-service. */
    public static final String INVENTORY = "inventory";
    /** {@link PaymentActivities}; polled by payment-service. */
    public static final String PAYMENT = "payment";

    private TaskQueues() {
    }
}

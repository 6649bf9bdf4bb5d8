package io.txlab.contracts.orchestration;

import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Argument of {@code PlaceOrderWorkflow}: an order that order-service has committed as {@code PENDING}. Started by
 * order-service's orchestration launcher on task queue {@link TaskQueues#SAGA_ORCHESTRATOR} with workflow id
 * {@link Workflows#placeOrderWorkflowId(UUID)}; the workflow id is the idempotency key of the whole saga.
 *
 * @param total the amount to authorize, as computed by order-service when the order was placed
 */
public record PlaceOrderWorkflowInput(UUID orderId, String customerId, List<OrderLine> lines, BigDecimal total) {

    public PlaceOrderWorkflowInput {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(total, "total");
        lines = List.copyOf(lines);
    }
}

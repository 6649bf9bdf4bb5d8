package io.txlab.contracts.orchestration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Argument of {@code PlaceOrderWorkflow}: an order that order-service has committed as {@code PENDING}. Started by
 * order-service's orchestration launcher on task queue {@link TaskQueues#SAGA_ORCHESTRATOR} with workflow id
 * {@link Workflows#placeOrderWorkflowId(UUID)}; the workflow id is the idempotency key of the whole saga.
 *
 * @param total    the amount to authorize, as computed by order-service when the order was placed
 * @param deadline when the saga gives up on a step that has not answered and cancels the order with
 *                 {@code DEADLINE_EXCEEDED} (adr/0038); null for none (also what a workflow started before deadlines
 *                 existed reads back)
 */
public record PlaceOrderWorkflowInput(UUID orderId, String customerId, List<OrderLine> lines, BigDecimal total,
                                      @JsonInclude(JsonInclude.Include.NON_NULL) Instant deadline) {

    public PlaceOrderWorkflowInput {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(total, "total");
        lines = List.copyOf(lines);
    }

    /** An order without a deadline. */
    public PlaceOrderWorkflowInput(UUID orderId, String customerId, List<OrderLine> lines, BigDecimal total) {
        this(orderId, customerId, lines, total, null);
    }
}

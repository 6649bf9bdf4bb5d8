package io.txlab.order.orchestration;

import io.temporal.failure.ApplicationFailure;
import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.CancelOrder;
import io.txlab.contracts.orchestration.ConfirmOrder;
import io.txlab.contracts.orchestration.OrderActivities;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderNotFoundException;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.platform.flows.ConditionalOnFlow;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The final steps of flow {@code orchestration}, run by this service's Temporal worker on task queue {@code order}.
 * {@link OrderService#confirm}/{@link OrderService#cancel} leave a final order as it is, which makes both activities
 * idempotent for their request ids ({@code "<orderId>:confirm"} / {@code "<orderId>:cancel"}); finalizing publishes
 * {@code OrderFinalized}, which answers the long-polls of {@code GET /orders/{id}?waitForFinal}.
 *
 * <p>Only the saga finalizes an orchestration order, so two answers are bugs rather than outages and are thrown as
 * non-retryable failures (the saga then reports itself stuck with the message, for an operator): confirming an order
 * found CANCELLED, and an order that does not exist.
 */
@Component
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class OrderActivitiesImpl implements OrderActivities {

    /** {@code ApplicationFailure} type of a confirm that found the order cancelled. */
    public static final String ORDER_ALREADY_CANCELLED = "OrderAlreadyCancelled";
    /** {@code ApplicationFailure} type of a step for an order id this service does not know. */
    public static final String ORDER_NOT_FOUND = "OrderNotFound";

    private static final Logger log = LoggerFactory.getLogger(OrderActivitiesImpl.class);

    private final OrderService orders;

    public OrderActivitiesImpl(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public void confirmOrder(ConfirmOrder command) {
        Order order = finish(command.requestId(), () -> orders.confirm(command.orderId()));
        if (order.status() == OrderStatus.CANCELLED) {
            throw ApplicationFailure.newNonRetryableFailure(command.requestId() + ": order " + order.id()
                    + " is CANCELLED (" + order.reason() + ") and cannot be confirmed", ORDER_ALREADY_CANCELLED);
        }
    }

    @Override
    public void cancelOrder(CancelOrder command) {
        Order order = finish(command.requestId(), () -> orders.cancel(command.orderId(), command.reason().name()));
        if (order.status() == OrderStatus.CONFIRMED) {
            // Cannot happen through the saga (it cancels only before confirming); a final order never changes.
            log.warn("{}: order {} is CONFIRMED, cancel ignored", command.requestId(), order.id());
        }
    }

    private static Order finish(String requestId, Supplier<Order> step) {
        try {
            return step.get();
        } catch (OrderNotFoundException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(requestId + ": " + e.getMessage(), ORDER_NOT_FOUND,
                    e);
        }
    }
}

package io.txlab.order.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.orchestration.CancelOrder;
import io.txlab.contracts.orchestration.ConfirmOrder;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderFlows;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.order.Orders;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The order activities called directly, as the Temporal worker calls them, against the service's real database. */
class OrderActivitiesIT extends OrderServiceTestContext {

    @Autowired
    OrderActivitiesImpl activities;

    @Autowired
    OrderService orders;
    @Autowired
    OrderFlows flows;

    @Test
    void confirmingTwiceConfirmsOnce() {
        UUID id = pendingOrder();

        activities.confirmOrder(ConfirmOrder.forOrder(id));
        Order first = orders.find(id).orElseThrow();
        activities.confirmOrder(ConfirmOrder.forOrder(id));

        assertThat(first.status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(orders.find(id)).contains(first);
    }

    @Test
    void cancellingTwiceKeepsTheFirstReason() {
        UUID id = pendingOrder();

        activities.cancelOrder(CancelOrder.forOrder(id, RejectionReason.OUT_OF_STOCK));
        activities.cancelOrder(CancelOrder.forOrder(id, RejectionReason.TECHNICAL_FAILURE));

        Order stored = orders.find(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(stored.reason()).isEqualTo("OUT_OF_STOCK");
    }

    @Test
    void confirmingACancelledOrderIsANonRetryableFailureAndChangesNothing() {
        UUID id = pendingOrder();
        activities.cancelOrder(CancelOrder.forOrder(id, RejectionReason.INSUFFICIENT_FUNDS));

        assertThatThrownBy(() -> activities.confirmOrder(ConfirmOrder.forOrder(id)))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getType()).isEqualTo(OrderActivitiesImpl.ORDER_ALREADY_CANCELLED);
                });
        assertThat(orders.find(id).orElseThrow().status()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void cancellingAConfirmedOrderLeavesItConfirmed() {
        UUID id = pendingOrder();
        activities.confirmOrder(ConfirmOrder.forOrder(id));

        activities.cancelOrder(CancelOrder.forOrder(id, RejectionReason.TECHNICAL_FAILURE));

        assertThat(orders.find(id).orElseThrow().status()).isEqualTo(OrderStatus.CONFIRMED);
    }

    @Test
    void anUnknownOrderIsANonRetryableFailure() {
        assertThatThrownBy(() -> activities.confirmOrder(ConfirmOrder.forOrder(UUID.randomUUID())))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getType()).isEqualTo(OrderActivitiesImpl.ORDER_NOT_FOUND);
                });
    }

    /** A PENDING order driven by the test build's recording launcher, which leaves it alone. */
    private UUID pendingOrder() {
        return flows.place(Orders.newKey(), Orders.choreography()).order().id();
    }
}

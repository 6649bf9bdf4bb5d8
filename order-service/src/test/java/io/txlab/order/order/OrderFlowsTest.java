package io.txlab.order.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The one map from a flow id to its implementation. */
class OrderFlowsTest {

    @Test
    void namesTheImplementedFlowsWhenRefusingOne() {
        OrderFlows flows = new OrderFlows(List.of(flow(Flow.OUTBOX, null), flow(Flow.CHOREOGRAPHY, null)));

        assertThat(flows.require(Flow.OUTBOX).flow()).isEqualTo(Flow.OUTBOX);
        assertThatThrownBy(() -> flows.require(Flow.TWOPC))
                .isInstanceOf(FlowNotImplementedException.class)
                .hasMessage("flow 'twopc' is not implemented in this build (implemented: choreography, outbox)");
    }

    @Test
    void saysNoneWhenNothingIsImplemented() {
        assertThatThrownBy(() -> new OrderFlows(List.<OrderFlow>of()).require(Flow.COCKROACH))
                .hasMessage("flow 'cockroach' is not implemented in this build (implemented: none)");
    }

    @Test
    void refusesTwoImplementationsOfOneFlow() {
        assertThatThrownBy(() -> new OrderFlows(List.of(flow(Flow.TWOPC, null), flow(Flow.TWOPC, null))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two implementations of flow 'twopc'");
    }

    @Test
    void findsAnOrderInTheStoreOfTheFlowThatKeepsItsOwn() {
        Order kept = new Order(UUID.randomUUID(), "C-0001", Flow.COCKROACH, OrderStatus.CONFIRMED, null,
                BigDecimal.TEN, List.of(new OrderLine("SKU-0001", 1, BigDecimal.TEN)), Instant.now(), Instant.now());
        OrderFlow cockroach = flow(Flow.COCKROACH, kept);
        OrderFlows flows = new OrderFlows(List.of(flow(Flow.TWOPC, null), cockroach));

        assertThat(flows.findInFlowStores(kept.id())).contains(new OrderFlows.Stored(kept, cockroach));
        assertThat(flows.findInFlowStores(UUID.randomUUID())).isEmpty();
    }

    /** A flow that keeps {@code kept} (if not null) in a store of its own. */
    private static OrderFlow flow(Flow flow, Order kept) {
        return new OrderFlow() {
            @Override
            public Flow flow() {
                return flow;
            }

            @Override
            public PlacementResult place(String idempotencyKey, PlaceOrder cmd) {
                throw new UnsupportedOperationException();
            }

            @Override
            public OrderSteps steps(Order order) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<Order> find(UUID orderId) {
                return kept != null && kept.id().equals(orderId) ? Optional.of(kept) : Optional.empty();
            }
        };
    }
}

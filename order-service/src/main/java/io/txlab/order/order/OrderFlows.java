package io.txlab.order.order;

import io.txlab.contracts.Flow;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one place that maps a {@link Flow} to its {@link OrderFlow}: the flows switched on in this process
 * ({@code txlab.flows.enabled}), at most one bean each.
 */
@Component
public class OrderFlows {

    private final Map<Flow, OrderFlow> byFlow = new EnumMap<>(Flow.class);

    @Autowired
    public OrderFlows(ObjectProvider<OrderFlow> flows) {
        this(flows.orderedStream().toList());
    }

    public OrderFlows(List<OrderFlow> flows) {
        for (OrderFlow flow : flows) {
            OrderFlow previous = byFlow.putIfAbsent(flow.flow(), flow);
            if (previous != null) {
                throw new IllegalStateException("two implementations of flow '" + flow.flow().id() + "': "
                        + previous.getClass().getName() + " and " + flow.getClass().getName());
            }
        }
    }

    public Optional<OrderFlow> find(Flow flow) {
        return Optional.ofNullable(byFlow.get(flow));
    }

    /** @throws FlowNotImplementedException if {@code flow} is not switched on in this process */
    public OrderFlow require(Flow flow) {
        return find(flow).orElseThrow(() -> new FlowNotImplementedException(flow, implemented()));
    }

    /** Places through the order's flow ({@link OrderFlow#place}); throws {@link FlowNotImplementedException} first. */
    public PlacementResult place(String idempotencyKey, PlaceOrder cmd) {
        return require(cmd.flow()).place(idempotencyKey, cmd);
    }

    public Set<Flow> implemented() {
        return byFlow.isEmpty()
                ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(byFlow.keySet()));
    }

    /** An order kept in a flow's own store ({@link OrderFlow#find}), with the flow that holds it. */
    public Optional<Stored> findInFlowStores(UUID orderId) {
        for (OrderFlow flow : byFlow.values()) {
            Optional<Order> order = flow.find(orderId);
            if (order.isPresent()) {
                return Optional.of(new Stored(order.get(), flow));
            }
        }
        return Optional.empty();
    }

    /** An order and the flow whose store holds it. */
    public record Stored(Order order, OrderFlow flow) {
    }
}

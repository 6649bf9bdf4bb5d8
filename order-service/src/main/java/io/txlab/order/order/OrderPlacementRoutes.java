package io.txlab.order.order;

import io.txlab.contracts.Flow;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The {@link OrderPlacementRoute} beans of this build, at most one per flow. */
@Component
public class OrderPlacementRoutes {

    private final Map<Flow, OrderPlacementRoute> byFlow = new EnumMap<>(Flow.class);

    public OrderPlacementRoutes(ObjectProvider<OrderPlacementRoute> routes) {
        for (OrderPlacementRoute route : routes.orderedStream().toList()) {
            OrderPlacementRoute previous = byFlow.putIfAbsent(route.flow(), route);
            if (previous != null) {
                throw new IllegalStateException("two placement routes for flow '" + route.flow().id() + "': "
                        + previous.getClass().getName() + " and " + route.getClass().getName());
            }
        }
    }

    public Optional<OrderPlacementRoute> find(Flow flow) {
        return Optional.ofNullable(byFlow.get(flow));
    }

    public List<OrderPlacementRoute> all() {
        return List.copyOf(byFlow.values());
    }
}

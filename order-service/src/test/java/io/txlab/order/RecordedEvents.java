package io.txlab.order;

import io.txlab.order.order.OrderFinalized;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.event.EventListener;

/** Every {@link OrderFinalized} published in the test context. */
public class RecordedEvents {

    private final List<OrderFinalized> finalized = new CopyOnWriteArrayList<>();

    @EventListener
    void on(OrderFinalized event) {
        finalized.add(event);
    }

    public List<OrderFinalized> finalized(UUID orderId) {
        return finalized.stream().filter(event -> event.order().id().equals(orderId)).toList();
    }
}

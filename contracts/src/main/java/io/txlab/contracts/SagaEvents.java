package io.txlab.contracts;

import io.txlab.contracts.inventory.StockReleased;
import io.txlab.contracts.inventory.StockReservationFailed;
import io.txlab.contracts.inventory.StockReserved;
import io.txlab.contracts.order.OrderPlaced;
import io.txlab.contracts.payment.PaymentAuthorized;
import io.txlab.contracts.payment.PaymentDeclined;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Every {@link SagaEvent} type, by the simple name carried in the {@link Topics#EVENT_TYPE_HEADER} header. */
public final class SagaEvents {

    private static final Map<String, Class<? extends SagaEvent>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<Class<? extends SagaEvent>, String> TOPIC = new LinkedHashMap<>();

    static {
        register(OrderPlaced.class, Topics.ORDER_EVENTS);
        register(StockReserved.class, Topics.INVENTORY_EVENTS);
        register(StockReservationFailed.class, Topics.INVENTORY_EVENTS);
        register(StockReleased.class, Topics.INVENTORY_EVENTS);
        register(PaymentAuthorized.class, Topics.PAYMENT_EVENTS);
        register(PaymentDeclined.class, Topics.PAYMENT_EVENTS);
    }

    private SagaEvents() {
    }

    private static void register(Class<? extends SagaEvent> type, String topic) {
        BY_TYPE.put(type.getSimpleName(), type);
        TOPIC.put(type, topic);
    }

    /** The event class for a header value; empty for an unknown type. */
    public static Optional<Class<? extends SagaEvent>> forType(String eventType) {
        return Optional.ofNullable(BY_TYPE.get(eventType));
    }

    public static String topicOf(Class<?> type) {
        String topic = TOPIC.get(type);
        if (topic == null) {
            throw new IllegalArgumentException(type.getName() + " is not a registered saga event");
        }
        return topic;
    }

    public static Map<String, Class<? extends SagaEvent>> all() {
        return Map.copyOf(BY_TYPE);
    }
}

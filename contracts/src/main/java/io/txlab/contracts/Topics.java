package io.txlab.contracts;

/**
 * Kafka topics of the {@code choreography} and {@code outbox} flows, defined once. Each service owns the topic it
 * publishes to; the record key is always the order id, so all events of one order stay in one partition, in order.
 */
public final class Topics {

    /** {@link io.txlab.contracts.order.OrderPlaced}; published by order-service. */
    public static final String ORDER_EVENTS = "order.events";
    /** Stock events ({@code StockReserved}, {@code StockReservationFailed}, {@code StockReleased}); inventory-service. */
    public static final String INVENTORY_EVENTS = "inventory.events";
    /** Payment events ({@code PaymentAuthorized}, {@code PaymentDeclined}); payment-service. */
    public static final String PAYMENT_EVENTS = "payment.events";
    /** Suffix of a topic's dead-letter topic: a message that failed on {@code t} lands on {@code t + DLT_SUFFIX}. */
    public static final String DLT_SUFFIX = ".DLT";
    /** The Kafka header naming the event type (a {@link SagaEvents} simple name); the value is the event as JSON. */
    public static final String EVENT_TYPE_HEADER = "eventType";

    private Topics() {
    }

    public static String deadLetter(String topic) {
        return topic + DLT_SUFFIX;
    }
}

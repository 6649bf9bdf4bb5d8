package io.txlab.order.order;

/** Where an order stands. {@link #PENDING} until its flow finalizes it; the two final states never change again. */
public enum OrderStatus {
    PENDING,
    CONFIRMED,
    CANCELLED;

    public boolean isFinal() {
        return this != PENDING;
    }
}

package io.txlab.payment.payment;

/** Where a payment stands; stored as the name in {@code payment.status}. */
public enum PaymentStatus {
    /** The amount was debited from the customer's balance and is held for the order. */
    AUTHORIZED,
    /** Refused (insufficient funds or unknown customer); the balance was not touched. */
    DECLINED,
    /** The amount went back to the customer, or a tombstone for an order refunded before it was authorized. */
    REFUNDED
}

package io.txlab.inventory.inventory;

/** Where a reservation stands; stored as the name in {@code reservation.status}. */
public enum ReservationStatus {
    /** Holds stock for the order (the reservation's lines). */
    RESERVED,
    /** Gave its stock back, or is a tombstone for an order released before it was reserved. */
    RELEASED,
    /** Was refused (out of stock or unknown SKU) and never held stock. */
    REJECTED
}

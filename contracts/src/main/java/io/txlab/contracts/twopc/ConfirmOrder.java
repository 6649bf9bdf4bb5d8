package io.txlab.contracts.twopc;

import java.util.UUID;

/** The order branch's operation in a {@code twopc} transaction, executed by order-service itself: {@code {"orderId":"…"}}. */
public record ConfirmOrder(UUID orderId) {
}

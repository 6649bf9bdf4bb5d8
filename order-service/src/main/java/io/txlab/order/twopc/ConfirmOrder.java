package io.txlab.order.twopc;

import java.util.UUID;

/** The order participant's operation in a {@code twopc} transaction: {@code {"orderId":"…"}}. */
public record ConfirmOrder(UUID orderId) {
}

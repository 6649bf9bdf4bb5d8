package io.txlab.contracts.twopc;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The payment branch's operation in a {@code twopc} transaction: order-service puts it in the {@link PrepareRequest},
 * the coordinator forwards it as the prepare body, payment-service executes it:
 * {@code {"orderId":"…","customerId":"C-0001","amount":25.00}}.
 */
public record AuthorizePayment(UUID orderId, String customerId, BigDecimal amount) {
}

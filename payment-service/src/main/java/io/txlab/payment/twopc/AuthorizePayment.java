package io.txlab.payment.twopc;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The payment participant's operation in a {@code twopc} transaction, forwarded by the coordinator as the prepare
 * body: {@code {"orderId":"…","customerId":"C-0001","amount":25.00}}.
 */
public record AuthorizePayment(UUID orderId, String customerId, BigDecimal amount) {
}

package io.txlab.contracts.orchestration;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * Input of {@link PaymentActivities#authorizePayment}.
 *
 * @param requestId idempotency key {@code "<orderId>:authorize"}; see {@link #forOrder}
 */
public record AuthorizePayment(UUID orderId, String requestId, String customerId, BigDecimal amount) {

    public AuthorizePayment {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(amount, "amount");
    }

    public static AuthorizePayment forOrder(UUID orderId, String customerId, BigDecimal amount) {
        return new AuthorizePayment(orderId, orderId + ":authorize", customerId, amount);
    }
}

package io.txlab.payment.api;

import io.txlab.contracts.RejectionReason;
import io.txlab.payment.payment.Payment;
import io.txlab.payment.payment.PaymentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A payment as the API shows it. */
public record PaymentResponse(
        UUID orderId,
        String customerId,
        BigDecimal amount,
        PaymentStatus status,
        RejectionReason reason,
        Instant createdAt,
        Instant refundedAt) {

    static PaymentResponse of(Payment payment) {
        return new PaymentResponse(payment.orderId(), payment.customerId(), payment.amount(), payment.status(),
                payment.reason(), payment.createdAt(), payment.refundedAt());
    }
}

package io.txlab.payment.payment;

import io.txlab.contracts.RejectionReason;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * Payment's record of one order.
 *
 * @param customerId {@code null} only for a refund-first tombstone
 * @param amount     what was asked for (scale 2); 0 for a tombstone
 * @param reason     why it was {@link PaymentStatus#DECLINED}; {@code null} otherwise
 * @param refundedAt when it was refunded; {@code null} unless {@link PaymentStatus#REFUNDED}
 */
public record Payment(
        UUID orderId,
        String customerId,
        BigDecimal amount,
        PaymentStatus status,
        RejectionReason reason,
        Instant createdAt,
        Instant refundedAt) {

    /** A REFUNDED payment without a customer was written by a refund that came before any authorization. */
    public boolean isTombstone() {
        return status == PaymentStatus.REFUNDED && customerId == null;
    }
}

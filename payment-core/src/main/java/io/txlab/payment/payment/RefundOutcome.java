package io.txlab.payment.payment;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link PaymentService#refund} did. Every result leaves the order refunded (or declined) for good.
 *
 * @param credited what this call gave back to the customer; zero unless {@link Result#REFUNDED}
 */
public record RefundOutcome(UUID orderId, Result result, BigDecimal credited) {

    public enum Result {
        /** The payment held money; this call credited it back. */
        REFUNDED,
        /** An earlier refund already credited it (or wrote the tombstone); nothing changed. */
        ALREADY_REFUNDED,
        /** The payment had been declined and never took money; nothing changed. */
        NOTHING_AUTHORIZED,
        /** Payment had never seen the order; a REFUNDED tombstone (amount 0) now refuses a late authorization. */
        TOMBSTONE_RECORDED
    }

    public RefundOutcome {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(credited, "credited");
    }
}

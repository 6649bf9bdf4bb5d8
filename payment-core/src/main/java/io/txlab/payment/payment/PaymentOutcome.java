package io.txlab.payment.payment;

import io.txlab.contracts.RejectionReason;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link PaymentService#authorize} decided. Business refusals are values, never exceptions, so a caller can
 * record them in the same transaction (an event in the outbox, a cancelled order, a 2PC "no" vote).
 *
 * @param amount   the amount of the stored payment (on a replay: the first call's amount)
 * @param reason   why it was {@link Result#DECLINED}; {@code null} for the other results
 * @param replayed {@code true} when the order had been seen before and this call changed nothing
 */
public record PaymentOutcome(
        UUID orderId, Result result, RejectionReason reason, BigDecimal amount, boolean replayed) {

    public enum Result {
        /** The amount is debited and held for the order. */
        AUTHORIZED,
        /** Nothing was debited: {@code INSUFFICIENT_FUNDS} or {@code UNKNOWN_CUSTOMER}; a DECLINED row records it. */
        DECLINED,
        /**
         * Nothing was debited because the order was refunded before (or after) this authorization: the
         * compensation won, so the order is being cancelled already and must not be charged.
         */
        ALREADY_REFUNDED
    }

    public PaymentOutcome {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(amount, "amount");
        if ((result == Result.DECLINED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is given exactly for DECLINED outcomes");
        }
    }

    /** The outcome the stored payment stands for, flagged as a replay. */
    static PaymentOutcome replayOf(Payment existing) {
        return switch (existing.status()) {
            case AUTHORIZED -> new PaymentOutcome(existing.orderId(), Result.AUTHORIZED, null, existing.amount(), true);
            case DECLINED -> new PaymentOutcome(existing.orderId(), Result.DECLINED, existing.reason(),
                    existing.amount(), true);
            case REFUNDED -> new PaymentOutcome(existing.orderId(), Result.ALREADY_REFUNDED, null, existing.amount(),
                    true);
        };
    }

    public boolean authorized() {
        return result == Result.AUTHORIZED;
    }
}

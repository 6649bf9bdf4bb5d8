package io.txlab.payment.payment;

import io.txlab.contracts.RejectionReason;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The payment domain core: authorize an order's amount against the customer's balance, and refund it. Every flow
 * calls these same methods - the choreography listener, the Temporal activity, the 2PC participant and the REST
 * API - so they import no messaging, workflow or 2PC code, and they join the caller's transaction (propagation
 * REQUIRED) so that the caller can add its own writes (outbox, inbox, idempotency key) atomically.
 *
 * <p>Both methods are idempotent per order id: the payment row is the memory of what was decided.
 */
@Service
public class PaymentService {

    private final PaymentRepository repository;

    public PaymentService(PaymentRepository repository) {
        this.repository = repository;
    }

    /**
     * Debits {@code amount} from the customer's balance if it covers it, else records a DECLINED payment and leaves
     * the balance alone.
     *
     * <p>A second call for the same order returns the first decision (flagged {@code replayed}, carrying the first
     * call's amount) and debits nothing; a call after the order was refunded returns
     * {@link PaymentOutcome.Result#ALREADY_REFUNDED}.
     *
     * @throws IllegalArgumentException if {@code amount} is not positive or has more than two decimals
     */
    @Transactional
    public PaymentOutcome authorize(UUID orderId, String customerId, BigDecimal amount) {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        BigDecimal cents = cents(amount);
        if (!repository.claimPayment(orderId, customerId, cents)) {
            Payment existing = repository.find(orderId).orElseThrow(() -> new IllegalStateException(
                    "payment " + orderId + " conflicted on insert but cannot be read"));
            return PaymentOutcome.replayOf(existing);
        }
        if (repository.debit(customerId, cents)) {
            return new PaymentOutcome(orderId, PaymentOutcome.Result.AUTHORIZED, null, cents, false);
        }
        RejectionReason reason = repository.accountExists(customerId)
                ? RejectionReason.INSUFFICIENT_FUNDS
                : RejectionReason.UNKNOWN_CUSTOMER;
        repository.markDeclined(orderId, reason);
        return new PaymentOutcome(orderId, PaymentOutcome.Result.DECLINED, reason, cents, false);
    }

    /**
     * Credits an authorized payment back, once. Refunding an order payment has never seen records a REFUNDED
     * tombstone of 0, so an authorization that arrives later (messages can overtake each other) debits nothing.
     */
    @Transactional
    public RefundOutcome refund(UUID orderId) {
        Objects.requireNonNull(orderId, "orderId");
        Optional<Payment> locked = repository.lock(orderId);
        if (locked.isEmpty()) {
            if (repository.insertTombstone(orderId)) {
                return new RefundOutcome(orderId, RefundOutcome.Result.TOMBSTONE_RECORDED, BigDecimal.ZERO);
            }
            // A concurrent authorize or refund inserted the row first and has committed by now.
            locked = repository.lock(orderId);
        }
        Payment payment = locked.orElseThrow(() -> new IllegalStateException(
                "payment " + orderId + " conflicted on insert but cannot be read"));
        return switch (payment.status()) {
            case AUTHORIZED -> {
                repository.credit(payment.customerId(), payment.amount());
                repository.markRefunded(orderId);
                yield new RefundOutcome(orderId, RefundOutcome.Result.REFUNDED, payment.amount());
            }
            case REFUNDED -> new RefundOutcome(orderId, RefundOutcome.Result.ALREADY_REFUNDED, BigDecimal.ZERO);
            case DECLINED -> new RefundOutcome(orderId, RefundOutcome.Result.NOTHING_AUTHORIZED, BigDecimal.ZERO);
        };
    }

    @Transactional(readOnly = true)
    public Optional<Payment> find(UUID orderId) {
        return repository.find(orderId);
    }

    @Transactional(readOnly = true)
    public Optional<Account> findAccount(String customerId) {
        return repository.findAccount(customerId);
    }

    /** Money is stored with two decimals; anything finer is a caller's mistake, not something to round away. */
    private static BigDecimal cents(BigDecimal amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive, was " + amount.toPlainString());
        }
        try {
            return amount.setScale(2, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "amount must have at most two decimals, was " + amount.toPlainString(), e);
        }
    }
}

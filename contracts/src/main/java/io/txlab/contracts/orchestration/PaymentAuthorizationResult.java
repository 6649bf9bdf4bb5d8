package io.txlab.contracts.orchestration;

import io.txlab.contracts.RejectionReason;
import java.util.Objects;

/**
 * Result of {@link PaymentActivities#authorizePayment}: the amount was debited, or the payment was declined
 * ({@code INSUFFICIENT_FUNDS}, {@code UNKNOWN_CUSTOMER}) with the balance untouched. A decline is final: the workflow
 * does not retry it, releases the stock and cancels the order; there is nothing to refund.
 *
 * @param reason {@code null} when {@link Status#AUTHORIZED}
 */
public record PaymentAuthorizationResult(Status status, RejectionReason reason) {

    public enum Status { AUTHORIZED, DECLINED }

    public PaymentAuthorizationResult {
        Objects.requireNonNull(status, "status");
        if ((status == Status.DECLINED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is required exactly when DECLINED: " + status + "/" + reason);
        }
    }

    public static PaymentAuthorizationResult authorized() {
        return new PaymentAuthorizationResult(Status.AUTHORIZED, null);
    }

    public static PaymentAuthorizationResult declined(RejectionReason reason) {
        return new PaymentAuthorizationResult(Status.DECLINED, reason);
    }
}

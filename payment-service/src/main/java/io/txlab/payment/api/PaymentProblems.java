package io.txlab.payment.api;

import io.txlab.platform.web.ProblemDetailsAdvice;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Payment's own problem types (RFC 9457), under {@link ProblemDetailsAdvice#PROBLEM_BASE}. */
final class PaymentProblems {

    private PaymentProblems() {
    }

    static ProblemDetail insufficientFunds(UUID orderId, String customerId) {
        return ProblemDetailsAdvice.problem(HttpStatus.PAYMENT_REQUIRED, "insufficient-funds", "Insufficient funds",
                "the balance of customer " + customerId + " does not cover order " + orderId
                        + "; the payment was declined and the balance left untouched");
    }

    static ProblemDetail refunded(UUID orderId) {
        return ProblemDetailsAdvice.problem(HttpStatus.CONFLICT, "payment-refunded", "Payment refunded",
                "order " + orderId + " has been refunded (possibly before this authorization arrived); nothing is "
                        + "charged for it");
    }

    /** Thrown inside the request's transaction so that nothing it wrote is kept. */
    static ErrorResponseException differentPayment(UUID orderId, String customerId, String amount) {
        return new ErrorResponseException(HttpStatus.CONFLICT,
                ProblemDetailsAdvice.problem(HttpStatus.CONFLICT, "payment-conflict", "Payment conflict",
                        "order " + orderId + " already has a payment of " + amount + " by customer " + customerId
                                + "; an order is paid once"),
                null);
    }

    static ProblemDetail paymentNotFound(UUID orderId) {
        return ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND, "payment-not-found", "Payment not found",
                "payment has no payment for order " + orderId);
    }

    static ProblemDetail customerNotFound(String customerId) {
        return ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND, "customer-not-found", "Customer not found",
                "payment has no account for customer " + customerId);
    }
}

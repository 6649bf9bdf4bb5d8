package io.txlab.payment.orchestration;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.orchestration.AuthorizePayment;
import io.txlab.contracts.orchestration.PaymentActivities;
import io.txlab.contracts.orchestration.PaymentAuthorizationResult;
import io.txlab.contracts.orchestration.RefundPayment;
import io.txlab.payment.payment.PaymentOutcome;
import io.txlab.payment.payment.PaymentService;
import io.txlab.payment.payment.RefundOutcome;
import io.txlab.platform.chaos.CrashPoints;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.observability.SagaCompensationMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The payment steps of flow {@code orchestration}, run by this service's Temporal worker on task queue
 * {@code payment}. Each call is one transaction of the domain core, whose idempotency per order id makes the activity
 * idempotent for its request id ({@code "<orderId>:authorize"} / {@code "<orderId>:refund"}): a repeated attempt
 * debits or credits nothing more and answers the same.
 *
 * <p>Refusals are results. {@code ALREADY_REFUNDED} (the saga's refund ran before this authorization, which happens
 * only when the saga gave up on an authorization attempt that was still in flight) is answered as {@code DECLINED}
 * with {@code TECHNICAL_FAILURE}: nothing was debited. Exceptions mean "infrastructure failed, retry", except for
 * invalid input (a non-positive amount), which no retry can fix.
 *
 * <p>Crash point {@value #AFTER_AUTHORIZE_COMMIT} (chaos profile only) halts the process after the debit committed and
 * before Temporal hears of it: the attempt times out, a retry runs on the restarted service and must not debit again.
 */
@Component
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class PaymentActivitiesImpl implements PaymentActivities {

    private static final Logger log = LoggerFactory.getLogger(PaymentActivitiesImpl.class);

    /** Crash point between the committed authorization and the activity's completion. */
    public static final String AFTER_AUTHORIZE_COMMIT = CrashPointNames.ORCHESTRATION_AFTER_AUTHORIZE_COMMIT;

    private final PaymentService payments;
    private final CrashPoints crashPoints;
    private final SagaCompensationMetrics compensations;

    public PaymentActivitiesImpl(PaymentService payments, CrashPoints crashPoints, MeterRegistry meters) {
        this.payments = payments;
        this.crashPoints = crashPoints;
        this.compensations = new SagaCompensationMetrics(meters, SagaCompensationMetrics.REFUND_PAYMENT,
                Flow.ORCHESTRATION);
    }

    @Override
    public PaymentAuthorizationResult authorizePayment(AuthorizePayment command) {
        PaymentOutcome outcome;
        try {
            outcome = payments.authorize(command.orderId(), command.customerId(), command.amount());
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(
                    command.requestId() + ": invalid payment: " + e.getMessage(), "InvalidInput", e);
        }
        crashPoints.reach(AFTER_AUTHORIZE_COMMIT);
        log.debug("{}: {}{}", command.requestId(), outcome.result(), outcome.replayed() ? " (replayed)" : "");
        return switch (outcome.result()) {
            case AUTHORIZED -> PaymentAuthorizationResult.authorized();
            case DECLINED -> PaymentAuthorizationResult.declined(outcome.reason());
            case ALREADY_REFUNDED -> PaymentAuthorizationResult.declined(RejectionReason.TECHNICAL_FAILURE);
        };
    }

    @Override
    public void refundPayment(RefundPayment command) {
        RefundOutcome outcome = compensations.run(Flow.ORCHESTRATION, SagaCompensationMetrics.REFUND_PAYMENT,
                () -> payments.refund(command.orderId()));
        log.debug("{}: {}", command.requestId(), outcome.result());
    }
}

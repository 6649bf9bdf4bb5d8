package io.txlab.payment.twopc;

import io.txlab.contracts.Flow;
import io.txlab.contracts.twopc.AuthorizePayment;
import io.txlab.contracts.twopc.Vote;
import io.txlab.payment.payment.PaymentOutcome;
import io.txlab.payment.payment.PaymentService;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.twopc.PreparedTransactions;
import io.txlab.platform.twopc.TwopcParticipantEndpoint;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payment's branch of a {@code twopc} order: {@link PaymentService#authorize} on the connection that is then
 * {@code PREPARE}d, so the debit (and the {@code account} row lock) stays held in PostgreSQL until the coordinator's
 * COMMIT or ROLLBACK. A DECLINED authorization rolls the local transaction back (the DECLINED row with it) and votes
 * NO with the reason.
 */
@RestController
@ConditionalOnFlow(Flow.TWOPC)
public class PaymentParticipant extends TwopcParticipantEndpoint<AuthorizePayment> {

    private final PaymentService payments;

    public PaymentParticipant(PreparedTransactions transactions, PaymentService payments) {
        super(transactions);
        this.payments = payments;
    }

    @Override
    protected Vote execute(String gid, AuthorizePayment operation) {
        PaymentOutcome outcome = payments.authorize(operation.orderId(), operation.customerId(), operation.amount());
        return switch (outcome.result()) {
            case AUTHORIZED -> Vote.yes();
            case DECLINED -> Vote.no(outcome.reason().name());
            // A tombstone: the order was refunded before this prepare arrived; debiting now would never be undone.
            case ALREADY_REFUNDED -> Vote.no("TECHNICAL_FAILURE: order " + operation.orderId() + " was already refunded");
        };
    }
}

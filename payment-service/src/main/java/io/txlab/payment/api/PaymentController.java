package io.txlab.payment.api;

import io.txlab.contracts.RejectionReason;
import io.txlab.payment.payment.Payment;
import io.txlab.payment.payment.PaymentOutcome;
import io.txlab.payment.payment.PaymentService;
import io.txlab.payment.payment.PaymentStatus;
import io.txlab.platform.idempotency.IdempotencyKeyHeader;
import io.txlab.platform.idempotency.IdempotencyKeys;
import io.txlab.platform.internal.ManualCompensationGuard;
import io.txlab.platform.web.UnknownReferenceException;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payments over HTTP. Each request runs in one transaction: the idempotency key, the domain call and any DECLINED
 * record commit together. Client errors that must leave no trace (unknown customer, a different payment for the same
 * order) are thrown inside that transaction so that it rolls back; business refusals (insufficient funds, already
 * refunded) are committed like successes, so a replay of the same key gets the same answer.
 */
@RestController
public class PaymentController {

    static final String AUTHORIZE_SCOPE = "authorize";
    static final String REFUND_SCOPE = "refund";

    private final PaymentService payments;
    private final IdempotencyKeys idempotencyKeys;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final ManualCompensationGuard compensations;

    public PaymentController(
            PaymentService payments, IdempotencyKeys idempotencyKeys, TransactionTemplate transaction,
            JsonMapper json, ManualCompensationGuard compensations) {
        this.compensations = compensations;
        this.payments = payments;
        this.idempotencyKeys = idempotencyKeys;
        this.transaction = transaction;
        this.json = json;
    }

    @PostMapping("/payments")
    public ResponseEntity<?> authorize(
            @RequestHeader(IdempotencyKeyHeader.NAME) String idempotencyKey,
            @Valid @RequestBody AuthorizeRequest request) {
        String key = IdempotencyKeyHeader.require(idempotencyKey);
        // 12.5 and 12.50 are the same amount, so they are the same request.
        AuthorizeRequest canonical = new AuthorizeRequest(
                request.orderId(), request.customerId(), request.amount().setScale(2));
        String fingerprint = IdempotencyKeys.fingerprint(json.writeValueAsString(canonical));
        Reply reply = transaction.execute(status -> {
            IdempotencyKeys.Claim claim = idempotencyKeys.claim(AUTHORIZE_SCOPE, key, fingerprint);
            if (claim instanceof IdempotencyKeys.Claim.Replay replay) {
                return new Reply(payments.find(UUID.fromString(replay.resourceId())).orElseThrow(), false);
            }
            PaymentOutcome outcome = payments.authorize(request.orderId(), request.customerId(), request.amount());
            if (outcome.reason() == RejectionReason.UNKNOWN_CUSTOMER) {
                throw new UnknownReferenceException("customer", List.of(request.customerId()));
            }
            Payment payment = payments.find(request.orderId()).orElseThrow();
            if (outcome.replayed() && !payment.isTombstone() && !samePayment(payment, canonical)) {
                throw PaymentProblems.differentPayment(payment.orderId(), payment.customerId(),
                        payment.amount().toPlainString());
            }
            idempotencyKeys.complete(AUTHORIZE_SCOPE, key, request.orderId().toString());
            return new Reply(payment, outcome.authorized() && !outcome.replayed());
        });
        return authorizeResponse(reply);
    }

    @PostMapping("/payments/{orderId}/refund")
    public ResponseEntity<PaymentResponse> refund(
            @RequestHeader(IdempotencyKeyHeader.NAME) String idempotencyKey, @PathVariable UUID orderId) {
        String key = IdempotencyKeyHeader.require(idempotencyKey);
        // Never a flow's compensation (those run in its own package): never for an order its customer was told is done.
        compensations.requireCompensable(orderId, "refund");
        Payment payment = transaction.execute(status -> {
            idempotencyKeys.claim(REFUND_SCOPE, key, IdempotencyKeys.fingerprint(orderId.toString()));
            // Refunding is idempotent by itself; the key only ties a retried request to its order.
            payments.refund(orderId);
            idempotencyKeys.complete(REFUND_SCOPE, key, orderId.toString());
            return payments.find(orderId).orElseThrow();
        });
        return ResponseEntity.ok(PaymentResponse.of(payment));
    }

    @GetMapping("/payments/{orderId}")
    public ResponseEntity<?> payment(@PathVariable UUID orderId) {
        return payments.find(orderId)
                .<ResponseEntity<?>>map(payment -> ResponseEntity.ok(PaymentResponse.of(payment)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(PaymentProblems.paymentNotFound(orderId)));
    }

    /**
     * The stored payment decides the reply, so a replayed key answers as the first request did - unless the order
     * was refunded in between, which the reply then reports (409) because nothing is charged any more.
     */
    private static ResponseEntity<?> authorizeResponse(Reply reply) {
        Payment payment = reply.payment();
        if (payment.status() == PaymentStatus.DECLINED) {
            return ResponseEntity.status(HttpStatus.PAYMENT_REQUIRED)
                    .body(PaymentProblems.insufficientFunds(payment.orderId(), payment.customerId()));
        }
        if (payment.status() == PaymentStatus.REFUNDED) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(PaymentProblems.refunded(payment.orderId()));
        }
        PaymentResponse body = PaymentResponse.of(payment);
        return reply.created()
                ? ResponseEntity.created(URI.create("/payments/" + payment.orderId())).body(body)
                : ResponseEntity.ok(body);
    }

    private static boolean samePayment(Payment payment, AuthorizeRequest request) {
        return payment.customerId().equals(request.customerId()) && payment.amount().compareTo(request.amount()) == 0;
    }

    private record Reply(Payment payment, boolean created) {
    }
}

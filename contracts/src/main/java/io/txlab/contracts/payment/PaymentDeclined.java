package io.txlab.contracts.payment;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.SagaEvent;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Nothing was debited (INSUFFICIENT_FUNDS or UNKNOWN_CUSTOMER; a DECLINED payment is recorded). Emitted by payment-service on {@code payment.events}; inventory reacts by releasing the stock (compensation), then order cancels.
 */
public record PaymentDeclined(UUID eventId, UUID orderId, Flow flow, RejectionReason reason, Instant occurredAt)
        implements SagaEvent {

    public PaymentDeclined {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static PaymentDeclined of(UUID orderId, Flow flow, RejectionReason reason) {
        return new PaymentDeclined(UUID.randomUUID(), orderId, flow, reason, Instant.now());
    }
}

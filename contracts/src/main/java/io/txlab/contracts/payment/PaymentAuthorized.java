package io.txlab.contracts.payment;

import io.txlab.contracts.Flow;
import io.txlab.contracts.SagaEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code amount} was debited from the customer's balance for the order. Emitted by payment-service on
 * {@code payment.events}; order reacts by confirming. The last step of the happy path.
 */
public record PaymentAuthorized(UUID eventId, UUID orderId, Flow flow, BigDecimal amount, Instant occurredAt)
        implements SagaEvent {

    public PaymentAuthorized {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static PaymentAuthorized of(UUID orderId, Flow flow, BigDecimal amount) {
        return new PaymentAuthorized(UUID.randomUUID(), orderId, flow, amount, Instant.now());
    }
}

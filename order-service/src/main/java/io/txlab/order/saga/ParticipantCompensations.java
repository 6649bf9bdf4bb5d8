package io.txlab.order.saga;

import io.txlab.order.config.ServicesProperties;
import io.txlab.platform.idempotency.IdempotencyKeyHeader;
import io.txlab.platform.internal.InternalProperties;
import io.txlab.platform.internal.SigningInterceptor;
import io.txlab.platform.web.ServiceHttpClients;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * The participants' manual compensations, as an operator's compensate action (adr/0037) and the saga flows' deadline
 * sweep (adr/0038) call them: inventory's
 * {@code POST /reservations/{orderId}/release} and payment's {@code POST /payments/{orderId}/refund}, signed like every
 * write between the services (adr/0018) and guarded there against a confirmed order (adr/0025). Both are idempotent and leave a tombstone for an order they have not seen, so a step of the flow that
 * arrives later does nothing. The idempotency key is the caller's prefix and the order id, so every retry of one
 * caller's compensation is the same request. A refusal or a participant that does not answer throws
 * {@link StepFailed}; {@link SagaCompensations} records its message and tries again later.
 */
@Component
public class ParticipantCompensations {

    /** A participant refused a compensation step or did not answer; the message says which, and what it answered. */
    public static final class StepFailed extends RuntimeException {

        StepFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final RestClient inventory;
    private final RestClient payment;

    public ParticipantCompensations(ServicesProperties services, InternalProperties internal, RestClient.Builder http) {
        this.inventory = client(http, services.inventoryUrl().toString(), services, internal);
        this.payment = client(http, services.paymentUrl().toString(), services, internal);
    }

    /** Signed with the internal secret: the participants take writes from the stack's own services only (adr/0018). */
    private static RestClient client(RestClient.Builder http, String baseUrl, ServicesProperties services,
                                     InternalProperties internal) {
        return http.clone().baseUrl(baseUrl).requestInterceptor(SigningInterceptor.forSecret(internal.secret()))
                .requestFactory(ServiceHttpClients.requestFactory(services.timeout(), services.timeout())).build();
    }

    /** Releases the order's stock, with idempotency key {@code keyPrefix + "release-" + orderId}. */
    public void release(UUID orderId, String keyPrefix) {
        call(inventory, "/reservations/{id}/release", orderId, "inventory-service", keyPrefix + "release-");
    }

    /** Refunds the order's payment, with idempotency key {@code keyPrefix + "refund-" + orderId}. */
    public void refund(UUID orderId, String keyPrefix) {
        call(payment, "/payments/{id}/refund", orderId, "payment-service", keyPrefix + "refund-");
    }

    private static void call(RestClient client, String path, UUID orderId, String service, String keyPrefix) {
        try {
            client.post().uri(path, orderId).header(IdempotencyKeyHeader.NAME, keyPrefix + orderId)
                    .retrieve().toBodilessEntity();
        } catch (RestClientResponseException e) {
            throw new StepFailed(service + " answered " + e.getStatusCode().value() + " to "
                    + path.replace("{id}", orderId.toString()) + ": " + e.getResponseBodyAsString(), e);
        } catch (RuntimeException e) {
            throw new StepFailed(service + " did not answer: " + e.getMessage(), e);
        }
    }
}

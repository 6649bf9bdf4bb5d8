package io.txlab.order.saga;

import io.txlab.order.config.ServicesProperties;
import io.txlab.platform.web.ServiceHttpClients;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Reads an order's reservation from inventory-service ({@code GET /reservations/{orderId}}) and its payment from
 * payment-service ({@code GET /payments/{orderId}}): the participants' own records are the truth about what the
 * saga did there, whichever flow drove it.
 */
@Component
class ParticipantReads {

    /** inventory-service's reservation JSON, the fields the saga view needs. */
    record Reservation(String status, String reason, List<Object> lines, Instant createdAt, Instant releasedAt) {
    }

    /** payment-service's payment JSON, the fields the saga view needs. */
    record Payment(String status, String reason, BigDecimal amount, Instant createdAt, Instant refundedAt) {
    }

    /** A participant's answer: its record, none (404), or why it could not be read. */
    record Read<T>(T value, String failure) {

        static <T> Read<T> none() {
            return new Read<>(null, null);
        }
    }

    private final RestClient inventory;
    private final RestClient payment;

    ParticipantReads(ServicesProperties services, RestClient.Builder http) {
        this.inventory = client(http, services.inventoryUrl(), services.timeout());
        this.payment = client(http, services.paymentUrl(), services.timeout());
    }

    Read<Reservation> reservation(UUID orderId) {
        return read(inventory, "/reservations/{id}", orderId, Reservation.class, "inventory-service");
    }

    Read<Payment> payment(UUID orderId) {
        return read(payment, "/payments/{id}", orderId, Payment.class, "payment-service");
    }

    private static <T> Read<T> read(RestClient client, String path, UUID orderId, Class<T> type, String service) {
        try {
            return new Read<>(client.get().uri(path, orderId).retrieve().body(type), null);
        } catch (RestClientResponseException e) {
            if (e.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                return Read.none();
            }
            return new Read<>(null, service + " answered " + e.getStatusCode().value());
        } catch (RuntimeException e) {
            return new Read<>(null, service + " unreachable: " + e.getMessage());
        }
    }

    /** From Boot's builder (a copy per client), which carries the client observation: spans and traceparent. */
    private static RestClient client(RestClient.Builder builder, URI baseUrl, Duration timeout) {
        return builder.clone().baseUrl(baseUrl.toString())
                .requestFactory(ServiceHttpClients.requestFactory(timeout, timeout)).build();
    }
}

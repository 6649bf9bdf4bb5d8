package io.txlab.platform.internal;

import io.txlab.platform.web.ProblemDetailsAdvice;
import io.txlab.platform.web.ServiceHttpClients;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Guards the compensations a participant offers outside any flow: payment's {@code POST /payments/{orderId}/refund}
 * and inventory's {@code POST /reservations/{orderId}/release}, which an operator (or a test) calls, never a flow (the
 * flows compensate through their own events, activities and rollbacks). Before one runs, order-service is asked how
 * the order stands ({@code GET /orders/{id}} on {@code txlab.services.order-url}):
 * <ul>
 *   <li>{@code CONFIRMED}: refused, 409 {@code order-confirmed}. The customer was told the order is done; taking its
 *       money or stock back would leave a confirmed order without a payment or a reservation.</li>
 *   <li>{@code PENDING}, {@code CANCELLED}, or no such order (404): allowed. An operator unsticking a PENDING order
 *       frees what it holds; compensating again is idempotent.</li>
 *   <li>No answer (order-service down, a timeout, another status): refused, 503 {@code order-state-unknown}, and
 *       nothing is compensated. The check fails closed.</li>
 * </ul>
 * The check and the compensation are not atomic: an order that order-service confirms between them is compensated
 * anyway. Only a flow could close that gap, and the flows do not use these endpoints.
 */
public final class ManualCompensationGuard {

    /** order-service's order JSON, the field the guard needs. */
    record OrderState(String status) {
    }

    private final RestClient orders;
    private final String orderUrl;

    /** {@code orderUrl} blank: every compensation is refused, since no order's state can be known. */
    public ManualCompensationGuard(RestClient.Builder http, String orderUrl, Duration timeout) {
        this.orderUrl = orderUrl == null ? "" : orderUrl.trim();
        this.orders = this.orderUrl.isEmpty() ? null : http.clone().baseUrl(this.orderUrl)
                .requestFactory(ServiceHttpClients.requestFactory(timeout, timeout)).build();
    }

    /** Returns if {@code orderId} may be compensated; throws the problem to answer otherwise. */
    public void requireCompensable(UUID orderId, String compensation) {
        String status = status(orderId, compensation);
        if ("CONFIRMED".equals(status)) {
            throw new ErrorResponseException(HttpStatus.CONFLICT, ProblemDetailsAdvice.problem(HttpStatus.CONFLICT,
                    "order-confirmed", "Order confirmed",
                    "order " + orderId + " is CONFIRMED; a " + compensation + " would leave it without what it was "
                            + "confirmed with, so nothing was changed"), null);
        }
    }

    /** The order's status, null if order-service does not know it; throws 503 if it cannot be asked. */
    private String status(UUID orderId, String compensation) {
        if (orders == null) {
            throw unknown(orderId, compensation, "txlab.services.order-url is not set");
        }
        try {
            OrderState state = orders.get().uri("/orders/{id}", orderId).retrieve().body(OrderState.class);
            if (state == null || state.status() == null) {
                throw unknown(orderId, compensation, "order-service answered without a status");
            }
            return state.status();
        } catch (RestClientResponseException e) {
            if (e.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
                return null;
            }
            throw unknown(orderId, compensation, "order-service answered " + e.getStatusCode().value());
        } catch (ErrorResponseException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unknown(orderId, compensation, "order-service at " + orderUrl + " did not answer: " + e.getMessage());
        }
    }

    private static ErrorResponseException unknown(UUID orderId, String compensation, String why) {
        ErrorResponseException e = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE,
                ProblemDetailsAdvice.problem(HttpStatus.SERVICE_UNAVAILABLE, "order-state-unknown", "Order state unknown",
                        "the " + compensation + " of order " + orderId + " needs the order's state first, and " + why
                                + "; nothing was changed"), null);
        e.getHeaders().set("Retry-After", "1");
        return e;
    }
}

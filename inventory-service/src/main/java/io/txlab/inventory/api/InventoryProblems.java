package io.txlab.inventory.api;

import io.txlab.platform.web.ProblemDetailsAdvice;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Inventory's own problem types (RFC 9457), under {@link ProblemDetailsAdvice#PROBLEM_BASE}. */
final class InventoryProblems {

    private InventoryProblems() {
    }

    static ProblemDetail outOfStock(UUID orderId) {
        return ProblemDetailsAdvice.problem(HttpStatus.CONFLICT, "out-of-stock", "Out of stock",
                "order " + orderId + " asks for more than the available stock of at least one SKU; nothing was "
                        + "reserved");
    }

    static ProblemDetail released(UUID orderId) {
        return ProblemDetailsAdvice.problem(HttpStatus.CONFLICT, "reservation-released", "Reservation released",
                "order " + orderId + " has been released (possibly before this reserve arrived); nothing is held "
                        + "for it");
    }

    /** Thrown inside the request's transaction so that nothing it wrote is kept. */
    static ErrorResponseException differentLines(UUID orderId, List<?> existing) {
        return new ErrorResponseException(HttpStatus.CONFLICT,
                ProblemDetailsAdvice.problem(HttpStatus.CONFLICT, "reservation-conflict", "Reservation conflict",
                        "order " + orderId + " already holds a reservation with different lines " + existing
                                + "; an order is reserved once"),
                null);
    }

    static ProblemDetail reservationNotFound(UUID orderId) {
        return ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND, "reservation-not-found", "Reservation not found",
                "inventory has no reservation for order " + orderId);
    }

    static ProblemDetail productNotFound(String sku) {
        return ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND, "product-not-found", "Product not found",
                "the catalogue has no product " + sku);
    }
}

package io.txlab.order.saga;

import io.txlab.order.order.OrderSteps;
import io.txlab.platform.web.ProblemDetailsAdvice;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /orders/{id}/steps}: the order's steps and compensations with timestamps, the same document for every
 * flow ({@link OrderSteps}). {@code GET /orders/{id}/saga} stays the orchestration flow's own, richer document (the
 * workflow's {@code SagaState}); for orchestration orders this view is built from that same query.
 */
@RestController
class SagaController {

    private final SagaReadModel sagas;

    SagaController(SagaReadModel sagas) {
        this.sagas = sagas;
    }

    @GetMapping("/orders/{id}/steps")
    OrderSteps steps(@PathVariable UUID id) {
        return sagas.find(id).orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND, "order-not-found", "Order not found",
                        "order " + id + " does not exist"), null));
    }
}

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
 * {@code GET /orders/{id}/steps}: "what happened to my order", one endpoint for every flow ({@link OrderSteps}): the
 * steps and compensations with timestamps, and the flow's own document where it has one
 * ({@link OrderSteps#flowDetail()}: the orchestration workflow's {@code SagaState}).
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

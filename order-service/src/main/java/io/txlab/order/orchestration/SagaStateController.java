package io.txlab.order.orchestration;

import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.platform.flows.ConditionalOnFlow;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /orders/{id}/saga}: the orchestration saga of an order as its workflow's {@code state} query reports it
 * (current step, completed steps, compensations with times, {@code stuck} + {@code lastFailure}, outcome). The same
 * document as saga-orchestrator's {@code GET /sagas/{orderId}}, served here so a client needs only order-service.
 * 404 for an unknown order, an order of another flow, or an order whose saga has not started yet; 503 when Temporal
 * or every saga-orchestrator worker is unreachable (a query is answered by a worker).
 */
@RestController
@ConditionalOnFlow(Flow.ORCHESTRATION)
class SagaStateController {

    private final OrderService orders;
    private final PlaceOrderSagas sagas;

    SagaStateController(OrderService orders, PlaceOrderSagas sagas) {
        this.orders = orders;
        this.sagas = sagas;
    }

    @GetMapping("/orders/{id}/saga")
    SagaState saga(@PathVariable UUID id) {
        Order order = orders.find(id).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "order " + id + " does not exist"));
        if (order.flow() != Flow.ORCHESTRATION) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "order " + id + " runs flow " + order.flow().id() + ", which has no saga workflow");
        }
        return sagas.state(id);
    }

    @ExceptionHandler(WorkflowNotFoundException.class)
    ProblemDetail noSaga(WorkflowNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "the saga of order " + e.getExecution().getWorkflowId() + " has not started (yet)");
        problem.setTitle("Saga not found");
        return problem;
    }

    @ExceptionHandler(WorkflowException.class)
    ProblemDetail unavailable(WorkflowException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "saga state of " + e.getExecution().getWorkflowId() + " is unavailable: " + e.getMessage());
        problem.setTitle("Saga state unavailable");
        return problem;
    }
}

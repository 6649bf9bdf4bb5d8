package io.txlab.orchestrator.api;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.Workflows;
import io.txlab.orchestrator.orchestration.PlaceOrderWorkflow;
import io.txlab.platform.flows.ConditionalOnFlow;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Makes the saga's query readable over HTTP: {@code GET /sagas/{orderId}} → {@link SagaState}. */
@RestController
@ConditionalOnFlow(Flow.ORCHESTRATION)
class SagaController {

    private final WorkflowClient client;

    SagaController(WorkflowClient client) {
        this.client = client;
    }

    @GetMapping("/sagas/{orderId}")
    SagaState saga(@PathVariable UUID orderId) {
        return client.newWorkflowStub(PlaceOrderWorkflow.class, Workflows.placeOrderWorkflowId(orderId)).state();
    }

    @ExceptionHandler(WorkflowNotFoundException.class)
    ProblemDetail noSaga(WorkflowNotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "no saga for order " + e.getExecution().getWorkflowId());
        problem.setTitle("Saga not found");
        return problem;
    }

    /** Temporal unreachable or the query could not be answered (no worker polling): retry later. */
    @ExceptionHandler(WorkflowException.class)
    ProblemDetail unavailable(WorkflowException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "saga state of " + e.getExecution().getWorkflowId() + " is unavailable: " + e.getMessage());
        problem.setTitle("Saga state unavailable");
        return problem;
    }
}

package io.txlab.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.order.OrderLine;
import io.txlab.contracts.orchestration.AuthorizePayment;
import io.txlab.contracts.orchestration.CancelOrder;
import io.txlab.contracts.orchestration.ConfirmOrder;
import io.txlab.contracts.orchestration.InventoryActivities;
import io.txlab.contracts.orchestration.OrderActivities;
import io.txlab.contracts.orchestration.PaymentActivities;
import io.txlab.contracts.orchestration.PaymentAuthorizationResult;
import io.txlab.contracts.orchestration.PlaceOrderResult;
import io.txlab.contracts.orchestration.PlaceOrderWorkflowInput;
import io.txlab.contracts.orchestration.RefundPayment;
import io.txlab.contracts.orchestration.ReleaseStock;
import io.txlab.contracts.orchestration.ReserveStock;
import io.txlab.contracts.orchestration.SettleReservation;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.StockReservationResult;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.contracts.orchestration.Workflows;
import io.txlab.devstack.testing.TestInfra;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application against a real Temporal test server (devstack, own JVM): the saga-orchestrator worker built by our
 * configuration runs a saga whose activities are in-test implementations polling the real task queues, started the
 * way order-service will start it (untyped stub, workflow type and id from the contracts).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WorkerIT {

    @DynamicPropertySource
    static void temporal(DynamicPropertyRegistry registry) {
        registry.add("txlab.temporal.target", () -> TestInfra.temporal().target());
    }

    @Autowired
    WorkflowClient client;

    @LocalServerPort
    int port;

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private WorkerFactory activityWorkers;

    @AfterEach
    void stopActivityWorkers() {
        if (activityWorkers != null) {
            activityWorkers.shutdownNow();
            activityWorkers.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void runsADeclinedSagaToItsCompensationAndServesItsState() throws Exception {
        startActivityWorkers(PaymentAuthorizationResult.declined(RejectionReason.INSUFFICIENT_FUNDS));
        UUID orderId = UUID.randomUUID();

        WorkflowStub saga = startLikeOrderService(orderId);
        PlaceOrderResult result = saga.getResult(30, TimeUnit.SECONDS, PlaceOrderResult.class);

        assertThat(result).isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.INSUFFICIENT_FUNDS));
        assertThat(calls).containsExactly("reserve", "authorize", "release", "cancel:INSUFFICIENT_FUNDS");
        assertThat(saga.query(Workflows.PLACE_ORDER_STATE_QUERY, SagaState.class).outcome()).isEqualTo(result);

        HttpResponse<String> state = get("/sagas/" + orderId);
        assertThat(state.statusCode()).isEqualTo(200);
        JsonNode body = JsonMapper.builder().build().readTree(state.body());
        assertThat(body.get("currentStep").asString()).isEqualTo("FINISHED");
        assertThat(body.get("compensations").get(0).get("step").asString()).isEqualTo("RELEASE_STOCK");
        assertThat(body.get("stuck").asBoolean()).isFalse();

        // The order id is the workflow id: a repeated request cannot start a second saga, even after the first ended.
        assertThatThrownBy(() -> startLikeOrderService(orderId)).isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    }

    @Test
    void unknownSagaIs404AndTemporalIsPartOfHealth() throws Exception {
        HttpResponse<String> missing = get("/sagas/" + UUID.randomUUID());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));

        HttpResponse<String> health = get("/actuator/health");
        JsonNode temporal = JsonMapper.builder().build().readTree(health.body()).get("components").get("temporal");
        assertThat(temporal.get("status").asString()).isEqualTo("UP");
    }

    private WorkflowStub startLikeOrderService(UUID orderId) {
        WorkflowStub stub = client.newUntypedWorkflowStub(Workflows.PLACE_ORDER, WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.SAGA_ORCHESTRATOR)
                .setWorkflowId(Workflows.placeOrderWorkflowId(orderId))
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
        stub.start(new PlaceOrderWorkflowInput(orderId, "BROKE-01",
                List.of(new OrderLine("SKU-0001", 1, new BigDecimal("10.00"))), new BigDecimal("10.00")));
        return stub;
    }

    private void startActivityWorkers(PaymentAuthorizationResult authorization) {
        activityWorkers = WorkerFactory.newInstance(client);
        activityWorkers.newWorker(TaskQueues.INVENTORY).registerActivitiesImplementations(new InventoryActivities() {
            @Override
            public StockReservationResult reserveStock(ReserveStock command) {
                calls.add("reserve");
                return StockReservationResult.reserved();
            }

            @Override
            public void releaseStock(ReleaseStock command) {
                calls.add("release");
            }

            @Override
            public void settleReservation(SettleReservation command) {
                calls.add("settle");
            }
        });
        activityWorkers.newWorker(TaskQueues.PAYMENT).registerActivitiesImplementations(new PaymentActivities() {
            @Override
            public PaymentAuthorizationResult authorizePayment(AuthorizePayment command) {
                calls.add("authorize");
                return authorization;
            }

            @Override
            public void refundPayment(RefundPayment command) {
                calls.add("refund");
            }
        });
        activityWorkers.newWorker(TaskQueues.ORDER).registerActivitiesImplementations(new OrderActivities() {
            @Override
            public void confirmOrder(ConfirmOrder command) {
                calls.add("confirm");
            }

            @Override
            public void cancelOrder(CancelOrder command) {
                calls.add("cancel:" + command.reason());
            }
        });
        activityWorkers.start();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

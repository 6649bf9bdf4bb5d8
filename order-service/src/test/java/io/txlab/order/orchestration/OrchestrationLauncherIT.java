package io.txlab.order.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.orchestration.CancelOrder;
import io.txlab.contracts.orchestration.ConfirmOrder;
import io.txlab.contracts.orchestration.OrderActivities;
import io.txlab.contracts.orchestration.PlaceOrderResult;
import io.txlab.contracts.orchestration.PlaceOrderWorkflowInput;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.SagaStep;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.contracts.orchestration.Workflows;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.Eventually;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.catalogue.ReferenceServicesStub;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderFlows;
import io.txlab.order.order.OrderRepository;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.order.Orders;
import io.txlab.order.order.PlaceOrder;
import io.txlab.order.order.PlacementResult;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * order-service's side of flow {@code orchestration} against the test JVM's real Temporal server: the launcher and the
 * recovery sweep start {@code PlaceOrderWorkflow} by name, once per order, and the application's own worker on task
 * queue {@code order} finalizes the order. A stand-in workflow registered under the contract's type name (the real
 * one lives in saga-orchestrator) confirms orders of C-* customers and cancels the others.
 */
class OrchestrationLauncherIT extends OrderServiceTestContext {

    private static WorkerFactory sagaWorker;

    @Autowired
    OrderService orders;
    @Autowired
    OrderFlows flows;
    @Autowired
    OrderRepository repository;
    @Autowired
    PlaceOrderSagas sagas;
    @Autowired
    PendingSagaRecovery recovery;
    @LocalServerPort
    int port;

    @BeforeAll
    static void startStandInSagaWorker(@Autowired WorkflowClient client) {
        sagaWorker = WorkerFactory.newInstance(client);
        sagaWorker.newWorker(TaskQueues.SAGA_ORCHESTRATOR).registerWorkflowImplementationTypes(StandInSagaImpl.class);
        sagaWorker.start();
    }

    @AfterAll
    static void stopStandInSagaWorker() {
        sagaWorker.shutdownNow();
        sagaWorker.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void placingStartsTheSagaWithoutWaitingForItAndTheSagaFinalizesTheOrder() throws Exception {
        PlacementResult placed = flows.place(Orders.newKey(), orchestration("C-0001"));
        UUID id = placed.order().id();

        assertThat(placed.order().status()).isEqualTo(OrderStatus.PENDING);
        Eventually.until("the saga confirmed the order", Duration.ofSeconds(20),
                () -> orders.find(id).orElseThrow().status() == OrderStatus.CONFIRMED);

        // The order is CONFIRMED inside the confirm activity; the workflow records its outcome when that returns.
        Eventually.until("the workflow finished", Duration.ofSeconds(20),
                () -> stepsBody(id).contains("\"currentStep\":\"FINISHED\""));
        HttpResponse<String> steps = get("/orders/" + id + "/steps");
        assertThat(steps.statusCode()).isEqualTo(200);
        assertThat(steps.body()).contains("\"source\":\"workflow\"").contains("\"flowDetail\":{")
                .contains("\"currentStep\":\"FINISHED\"").contains("\"outcome\":{\"orderId\":\"" + id + "\",\"status\":\"CONFIRMED\"");
    }

    @Test
    void aSecondStartForTheSameOrderFindsTheFirstSaga() {
        PlacementResult placed = flows.place(Orders.newKey(), orchestration("BROKE-01"));
        Eventually.until("the saga cancelled the order", Duration.ofSeconds(20),
                () -> orders.find(placed.order().id()).orElseThrow().status() == OrderStatus.CANCELLED);

        assertThat(sagas.start(placed.order())).isEqualTo(PlaceOrderSagas.Start.ALREADY_STARTED);
        assertThat(orders.find(placed.order().id()).orElseThrow().reason()).isEqualTo("INSUFFICIENT_FUNDS");
    }

    @Test
    void theRecoverySweepStartsTheSagaOfAnOrderWhoseLauncherNeverRanAndOnlyOnce() {
        // As if order-service died right after the commit: the row is there, no saga was ever started.
        Order orphan = new Order(UUID.randomUUID(), "C-0002", Flow.ORCHESTRATION, OrderStatus.PENDING, null,
                new BigDecimal("10.00"), List.of(new OrderLine("SKU-0002", 1, new BigDecimal("10.00"))),
                Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS), null);
        repository.insert(orphan, Orders.newKey());

        recovery.sweep();

        Eventually.until("the recovered saga confirmed the order", Duration.ofSeconds(20),
                () -> orders.find(orphan.id()).orElseThrow().status() == OrderStatus.CONFIRMED);
        assertThat(sagas.start(orphan)).isEqualTo(PlaceOrderSagas.Start.ALREADY_STARTED);
        assertThat(recovery.sweep()).isZero();
    }

    @Test
    void onlyAnOrchestrationOrderCarriesTheWorkflowsDocument() throws Exception {
        UUID choreography = flows.place(Orders.newKey(), Orders.choreography()).order().id();

        assertThat(get("/orders/" + UUID.randomUUID() + "/steps").statusCode()).isEqualTo(404);
        HttpResponse<String> steps = get("/orders/" + choreography + "/steps");
        assertThat(steps.statusCode()).isEqualTo(200);
        assertThat(steps.body()).contains("\"flowDetail\":null").doesNotContain("currentStep");
        // The endpoint it replaced is gone.
        assertThat(get("/orders/" + choreography + "/saga").statusCode()).isEqualTo(404);
    }

    /** At the catalogue's price: placing checks it, like every flow over order-service's database. */
    private static PlaceOrder orchestration(String customerId) {
        return new PlaceOrder(customerId, Flow.ORCHESTRATION,
                List.of(new OrderLine("SKU-0001", 1, ReferenceServicesStub.price("SKU-0001"))));
    }

    private String stepsBody(UUID id) {
        try {
            return get("/orders/" + id + "/steps").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The contract's workflow type and query, standing in for saga-orchestrator's implementation. */
    @WorkflowInterface
    public interface StandInSaga {

        @WorkflowMethod(name = Workflows.PLACE_ORDER)
        PlaceOrderResult placeOrder(PlaceOrderWorkflowInput input);

        @QueryMethod(name = Workflows.PLACE_ORDER_STATE_QUERY)
        SagaState state();
    }

    public static class StandInSagaImpl implements StandInSaga {

        private final OrderActivities order = Workflow.newActivityStub(OrderActivities.class,
                ActivityOptions.newBuilder().setTaskQueue(TaskQueues.ORDER)
                        .setStartToCloseTimeout(Duration.ofSeconds(10)).build());
        private UUID orderId;
        private PlaceOrderResult outcome;

        @Override
        public PlaceOrderResult placeOrder(PlaceOrderWorkflowInput input) {
            orderId = input.orderId();
            if (input.customerId().startsWith("C-")) {
                order.confirmOrder(ConfirmOrder.forOrder(orderId));
                outcome = PlaceOrderResult.confirmed(orderId);
            } else {
                order.cancelOrder(CancelOrder.forOrder(orderId, RejectionReason.INSUFFICIENT_FUNDS));
                outcome = PlaceOrderResult.cancelled(orderId, RejectionReason.INSUFFICIENT_FUNDS);
            }
            return outcome;
        }

        @Override
        public SagaState state() {
            return new SagaState(orderId, outcome == null ? SagaStep.CONFIRM_ORDER : SagaStep.FINISHED, List.of(),
                    List.of(), false, null, outcome);
        }
    }
}

package io.txlab.orchestrator.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.inventory.StockLine;
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
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.SagaStep;
import io.txlab.contracts.orchestration.SettleReservation;
import io.txlab.contracts.orchestration.StockReservationResult;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.contracts.orchestration.Workflows;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * The saga against Temporal's in-process test environment (time skipping) with mocked activities on their real task
 * queues, so the workflow's stubs, options and queue names are exercised as in production.
 */
class PlaceOrderWorkflowTest {

    private final UUID orderId = UUID.randomUUID();
    private final PlaceOrderWorkflowInput input = new PlaceOrderWorkflowInput(orderId, "C-0001",
            List.of(new OrderLine("SKU-0001", 2, new BigDecimal("12.50")),
                    new OrderLine("SKU-0002", 1, new BigDecimal("10.00"))),
            new BigDecimal("35.00"));

    // withoutAnnotations: Temporal reads @ActivityInterface from the interface, not from the mock's copied annotations.
    private final InventoryActivities inventory = mock(InventoryActivities.class, withSettings().withoutAnnotations());
    private final PaymentActivities payment = mock(PaymentActivities.class, withSettings().withoutAnnotations());
    private final OrderActivities orders = mock(OrderActivities.class, withSettings().withoutAnnotations());

    private TestWorkflowEnvironment env;
    private WorkflowClient client;

    @BeforeEach
    void startEnvironment() {
        env = TestWorkflowEnvironment.newInstance();
        Worker sagaWorker = env.newWorker(TaskQueues.SAGA_ORCHESTRATOR);
        sagaWorker.registerWorkflowImplementationTypes(PlaceOrderWorkflowImpl.class);
        env.newWorker(TaskQueues.INVENTORY).registerActivitiesImplementations(inventory);
        env.newWorker(TaskQueues.PAYMENT).registerActivitiesImplementations(payment);
        env.newWorker(TaskQueues.ORDER).registerActivitiesImplementations(orders);
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void closeEnvironment() {
        env.close();
    }

    @Test
    void happyPathReservesAuthorizesAndConfirmsWithOrderDerivedRequestIds() {
        when(inventory.reserveStock(any())).thenReturn(StockReservationResult.reserved());
        when(payment.authorizePayment(any())).thenReturn(PaymentAuthorizationResult.authorized());

        PlaceOrderResult result = saga().placeOrder(input);

        assertThat(result).isEqualTo(PlaceOrderResult.confirmed(orderId));
        InOrder inOrder = inOrder(inventory, payment, orders);
        inOrder.verify(inventory).reserveStock(ReserveStock.forOrder(orderId,
                List.of(new StockLine("SKU-0001", 2), new StockLine("SKU-0002", 1))));
        inOrder.verify(payment).authorizePayment(AuthorizePayment.forOrder(orderId, "C-0001", new BigDecimal("35.00")));
        inOrder.verify(orders).confirmOrder(ConfirmOrder.forOrder(orderId));
        verify(inventory, never()).releaseStock(any());
        verify(inventory, never()).settleReservation(any());
        verify(payment, never()).refundPayment(any());
        verify(orders, never()).cancelOrder(any());

        SagaState state = existingSaga().state();
        assertThat(state.currentStep()).isEqualTo(SagaStep.FINISHED);
        assertThat(state.completedSteps()).extracting(SagaState.StepRecord::step)
                .containsExactly(SagaStep.RESERVE_STOCK, SagaStep.AUTHORIZE_PAYMENT, SagaStep.CONFIRM_ORDER);
        assertThat(state.compensations()).isEmpty();
        assertThat(state.stuck()).isFalse();
        assertThat(state.outcome()).isEqualTo(result);
    }

    @Test
    void stockHeldUnderASemanticLockIsSettledOnceTheOrderIsConfirmed() {
        when(inventory.reserveStock(any())).thenReturn(StockReservationResult.reservedPending());
        when(payment.authorizePayment(any())).thenReturn(PaymentAuthorizationResult.authorized());

        PlaceOrderResult result = saga().placeOrder(input);

        assertThat(result).isEqualTo(PlaceOrderResult.confirmed(orderId));
        InOrder inOrder = inOrder(inventory, payment, orders);
        inOrder.verify(inventory).reserveStock(any());
        inOrder.verify(payment).authorizePayment(any());
        inOrder.verify(orders).confirmOrder(ConfirmOrder.forOrder(orderId));
        inOrder.verify(inventory).settleReservation(SettleReservation.forOrder(orderId));
        verify(inventory, never()).releaseStock(any());
        assertThat(existingSaga().state().completedSteps()).extracting(SagaState.StepRecord::step)
                .containsExactly(SagaStep.RESERVE_STOCK, SagaStep.AUTHORIZE_PAYMENT, SagaStep.CONFIRM_ORDER,
                        SagaStep.SETTLE_RESERVATION);
    }

    @Test
    void stockHeldUnderASemanticLockIsReleasedNotSettledWhenThePaymentIsDeclined() {
        when(inventory.reserveStock(any())).thenReturn(StockReservationResult.reservedPending());
        when(payment.authorizePayment(any()))
                .thenReturn(PaymentAuthorizationResult.declined(RejectionReason.INSUFFICIENT_FUNDS));

        assertThat(saga().placeOrder(input))
                .isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.INSUFFICIENT_FUNDS));
        verify(inventory).releaseStock(ReleaseStock.forOrder(orderId));
        verify(inventory, never()).settleReservation(any());
    }

    @Test
    void aReserveThatWaitsForPendingOrdersIsRetriedUntilItHasItsAnswer() {
        AtomicInteger attempts = new AtomicInteger();
        when(inventory.reserveStock(any())).thenAnswer(call -> {
            if (attempts.incrementAndGet() < 3) {
                throw ApplicationFailure.newBuilder().setType("StockHeldByPendingOrders").setMessage("waiting")
                        .setNextRetryDelay(Duration.ofMillis(50)).build();
            }
            return StockReservationResult.rejected(RejectionReason.OUT_OF_STOCK);
        });

        assertThat(saga().placeOrder(input)).isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.OUT_OF_STOCK));
        assertThat(attempts).hasValue(3);
        verify(payment, never()).authorizePayment(any());
        verify(inventory, never()).releaseStock(any());
    }

    @Test
    void declinedPaymentReleasesTheStockAfterTheAuthorizationThenCancelsTheOrder() {
        when(inventory.reserveStock(any())).thenReturn(StockReservationResult.reserved());
        when(payment.authorizePayment(any()))
                .thenReturn(PaymentAuthorizationResult.declined(RejectionReason.INSUFFICIENT_FUNDS));

        PlaceOrderResult result = saga().placeOrder(input);

        assertThat(result).isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.INSUFFICIENT_FUNDS));
        InOrder inOrder = inOrder(inventory, payment, orders);
        inOrder.verify(inventory).reserveStock(any());
        inOrder.verify(payment).authorizePayment(any());
        inOrder.verify(inventory).releaseStock(ReleaseStock.forOrder(orderId));
        inOrder.verify(orders).cancelOrder(CancelOrder.forOrder(orderId, RejectionReason.INSUFFICIENT_FUNDS));
        // A decline leaves the balance untouched: nothing to refund, and the business refusal is not retried.
        verify(payment, times(1)).authorizePayment(any());
        verify(payment, never()).refundPayment(any());
        verify(orders, never()).confirmOrder(any());

        SagaState state = existingSaga().state();
        assertThat(state.compensations()).extracting(SagaState.StepRecord::step)
                .containsExactly(SagaStep.RELEASE_STOCK);
        assertThat(state.completedSteps()).extracting(SagaState.StepRecord::step)
                .containsExactly(SagaStep.RESERVE_STOCK, SagaStep.CANCEL_ORDER);
    }

    @Test
    void outOfStockChargesNothingAndReleasesNothing() {
        when(inventory.reserveStock(any()))
                .thenReturn(StockReservationResult.rejected(RejectionReason.OUT_OF_STOCK));

        PlaceOrderResult result = saga().placeOrder(input);

        assertThat(result).isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.OUT_OF_STOCK));
        verify(inventory, times(1)).reserveStock(any());
        verify(payment, never()).authorizePayment(any());
        verify(payment, never()).refundPayment(any());
        verify(inventory, never()).releaseStock(any());
        verify(orders).cancelOrder(CancelOrder.forOrder(orderId, RejectionReason.OUT_OF_STOCK));
    }

    @Test
    void aStepThatMayHaveBeenAppliedIsCompensatedNewestFirst() {
        // The authorization fails without a verdict: it may have debited, so its refund was registered before the
        // call and runs first, then the stock release, then the cancellation.
        when(inventory.reserveStock(any())).thenReturn(StockReservationResult.reserved());
        when(payment.authorizePayment(any()))
                .thenThrow(ApplicationFailure.newNonRetryableFailure("response lost", "PaymentGatewayError"));

        PlaceOrderResult result = saga().placeOrder(input);

        assertThat(result).isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.TECHNICAL_FAILURE));
        InOrder inOrder = inOrder(inventory, payment, orders);
        inOrder.verify(payment).authorizePayment(any());
        inOrder.verify(payment).refundPayment(RefundPayment.forOrder(orderId));
        inOrder.verify(inventory).releaseStock(ReleaseStock.forOrder(orderId));
        inOrder.verify(orders).cancelOrder(CancelOrder.forOrder(orderId, RejectionReason.TECHNICAL_FAILURE));
        SagaState state = existingSaga().state();
        assertThat(state.compensations()).extracting(SagaState.StepRecord::step)
                .containsExactly(SagaStep.REFUND_PAYMENT, SagaStep.RELEASE_STOCK);
        assertThat(state.lastFailure()).contains("AUTHORIZE_PAYMENT", "PaymentGatewayError", "response lost");
    }

    @Test
    void aStepStillFailingAtTheOrdersDeadlineCancelsTheOrderFirstThenCompensatesNewestFirst() {
        when(inventory.reserveStock(any())).thenReturn(StockReservationResult.reserved());
        when(payment.authorizePayment(any())).thenThrow(new IllegalStateException("payment gateway not answering"));
        Instant deadline = Instant.ofEpochMilli(env.currentTimeMillis()).plusSeconds(10);

        PlaceOrderResult result = saga().placeOrder(withDeadline(deadline));

        assertThat(result).isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.DEADLINE_EXCEEDED));
        InOrder inOrder = inOrder(inventory, payment, orders);
        inOrder.verify(inventory).reserveStock(any());
        inOrder.verify(payment, atLeastOnce()).authorizePayment(any());
        inOrder.verify(orders).cancelOrder(CancelOrder.forOrder(orderId, RejectionReason.DEADLINE_EXCEEDED));
        inOrder.verify(payment).refundPayment(RefundPayment.forOrder(orderId));
        inOrder.verify(inventory).releaseStock(ReleaseStock.forOrder(orderId));
        verify(orders, never()).confirmOrder(any());
        SagaState state = existingSaga().state();
        assertThat(state.completedSteps()).extracting(SagaState.StepRecord::step)
                .containsExactly(SagaStep.RESERVE_STOCK, SagaStep.CANCEL_ORDER);
        assertThat(state.compensations()).extracting(SagaState.StepRecord::step)
                .containsExactly(SagaStep.REFUND_PAYMENT, SagaStep.RELEASE_STOCK);
        // given up at the deadline, well before the step's own two-minute bound
        assertThat(state.completedSteps().get(1).at()).isBefore(deadline.plusSeconds(5));
        assertThat(state.lastFailure()).contains("AUTHORIZE_PAYMENT", "payment gateway not answering");
    }

    @Test
    void anOrderWhoseDeadlinePassedBeforeTheSagaStartedIsCancelledWithoutAnyStep() {
        Instant deadline = Instant.ofEpochMilli(env.currentTimeMillis()).minusSeconds(1);

        PlaceOrderResult result = saga().placeOrder(withDeadline(deadline));

        assertThat(result).isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.DEADLINE_EXCEEDED));
        verify(inventory, never()).reserveStock(any());
        verify(inventory, never()).releaseStock(any());
        verify(orders).cancelOrder(CancelOrder.forOrder(orderId, RejectionReason.DEADLINE_EXCEEDED));
    }

    private PlaceOrderWorkflowInput withDeadline(Instant deadline) {
        return new PlaceOrderWorkflowInput(input.orderId(), input.customerId(), input.lines(), input.total(), deadline);
    }

    @Test
    void aTransientFailureIsRetriedUntilTheStepSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        when(inventory.reserveStock(any())).thenAnswer(invocation -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("inventory database unreachable");
            }
            return StockReservationResult.reserved();
        });
        when(payment.authorizePayment(any())).thenReturn(PaymentAuthorizationResult.authorized());

        PlaceOrderResult result = saga().placeOrder(input);

        assertThat(result).isEqualTo(PlaceOrderResult.confirmed(orderId));
        verify(inventory, times(3)).reserveStock(ReserveStock.forOrder(orderId,
                List.of(new StockLine("SKU-0001", 2), new StockLine("SKU-0002", 1))));
        verify(inventory, never()).releaseStock(any());
    }

    @Test
    void aCompensationThatKeepsFailingLeavesTheSagaVisiblyStuckUntilItSucceeds() {
        AtomicBoolean inventoryDown = new AtomicBoolean(true);
        when(inventory.reserveStock(any())).thenReturn(StockReservationResult.reserved());
        when(payment.authorizePayment(any()))
                .thenReturn(PaymentAuthorizationResult.declined(RejectionReason.INSUFFICIENT_FUNDS));
        doAnswer(invocation -> {
            if (inventoryDown.get()) {
                throw new IllegalStateException("inventory database unreachable");
            }
            return null;
        }).when(inventory).releaseStock(any());

        PlaceOrderWorkflow saga = saga();
        WorkflowClient.start(saga::placeOrder, input);

        SagaState stuck = awaitState(SagaState::stuck);
        assertThat(stuck.currentStep()).isEqualTo(SagaStep.RELEASE_STOCK);
        assertThat(stuck.lastFailure()).contains("RELEASE_STOCK", "inventory database unreachable");
        assertThat(stuck.outcome()).isNull();
        verify(orders, never()).cancelOrder(any());

        inventoryDown.set(false);
        SagaState done = awaitState(state -> state.outcome() != null);
        assertThat(done.stuck()).isFalse();
        assertThat(done.outcome()).isEqualTo(PlaceOrderResult.cancelled(orderId, RejectionReason.INSUFFICIENT_FUNDS));
        assertThat(done.compensations()).extracting(SagaState.StepRecord::step).containsExactly(SagaStep.RELEASE_STOCK);
        verify(orders).cancelOrder(CancelOrder.forOrder(orderId, RejectionReason.INSUFFICIENT_FUNDS));
    }

    private PlaceOrderWorkflow saga() {
        return client.newWorkflowStub(PlaceOrderWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.SAGA_ORCHESTRATOR)
                .setWorkflowId(Workflows.placeOrderWorkflowId(orderId))
                .build());
    }

    private PlaceOrderWorkflow existingSaga() {
        return client.newWorkflowStub(PlaceOrderWorkflow.class, Workflows.placeOrderWorkflowId(orderId));
    }

    /** Advances the test server's clock a minute at a time (skipping retry backoff) until the query matches. */
    private SagaState awaitState(Predicate<SagaState> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            SagaState state = existingSaga().state();
            if (condition.test(state)) {
                return state;
            }
            assertThat(System.nanoTime()).as("saga state did not match in time: %s", state).isLessThan(deadline);
            env.sleep(Duration.ofMinutes(1));
        }
    }
}

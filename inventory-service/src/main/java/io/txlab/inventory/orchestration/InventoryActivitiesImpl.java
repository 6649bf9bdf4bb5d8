package io.txlab.inventory.orchestration;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.orchestration.InventoryActivities;
import io.txlab.contracts.orchestration.ReleaseStock;
import io.txlab.contracts.orchestration.ReserveStock;
import io.txlab.contracts.orchestration.SettleReservation;
import io.txlab.contracts.orchestration.StockReservationResult;
import io.txlab.inventory.inventory.InventoryService;
import io.txlab.inventory.inventory.ReleaseOutcome;
import io.txlab.inventory.inventory.ReservationOutcome;
import io.txlab.inventory.inventory.SemanticLocks;
import io.txlab.inventory.inventory.StockHeldByPendingOrders;
import io.txlab.inventory.inventory.StockLine;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.observability.SagaCompensationMetrics;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The stock steps of flow {@code orchestration}, run by this service's Temporal worker on task queue
 * {@code inventory}. Each call is one transaction of the domain core, whose idempotency per order id makes the
 * activity idempotent for its request id ({@code "<orderId>:reserve"} / {@code "<orderId>:release"}): Temporal may
 * deliver an attempt again after a timeout, and the second call changes nothing and answers the same.
 *
 * <p>Refusals are results. {@code ALREADY_RELEASED} (the saga's release ran before this reserve, which happens only
 * when the saga gave up on a reserve attempt that was still in flight) is answered as {@code REJECTED} with
 * {@code TECHNICAL_FAILURE}: nothing is held, so there is nothing to compensate, and the saga is cancelling the
 * order, so there is nothing to compensate, and the saga is cancelling the
 * order already. Exceptions mean "infrastructure failed, retry", except for invalid input, which no retry can fix.
 *
 * <p>This flow honours semantic locks (ADR 44): stock of a product flagged {@code semantic_lock} is held as pending
 * until the saga settles or releases it, and a reserve that finds such a product short while pending orders hold what
 * it lacks fails as {@value #STOCK_HELD_BY_PENDING_ORDERS}, retried by Temporal every {@link #WAIT_STEP} or so, for at
 * most {@value #WAIT_ATTEMPTS} attempts; the attempt after that refuses the order for stock as any other flow would.
 */
@Component
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class InventoryActivitiesImpl implements InventoryActivities {

    private static final Logger log = LoggerFactory.getLogger(InventoryActivitiesImpl.class);

    /** The failure type of a reserve that waits for pending orders (retryable, benign: not logged as an error). */
    static final String STOCK_HELD_BY_PENDING_ORDERS = "StockHeldByPendingOrders";
    /** Attempts that may wait; with the delays below about 7.25 s in all, far above a saga's usual time to final. */
    static final int WAIT_ATTEMPTS = 20;
    /** The delay before the second attempt; each one after waits a step longer, up to ten steps. */
    static final Duration WAIT_STEP = Duration.ofMillis(50);

    private final InventoryService inventory;
    private final SagaCompensationMetrics compensations;

    public InventoryActivitiesImpl(InventoryService inventory, MeterRegistry meters) {
        this.inventory = inventory;
        this.compensations = new SagaCompensationMetrics(meters, SagaCompensationMetrics.RELEASE_STOCK,
                Flow.ORCHESTRATION);
    }

    @Override
    public StockReservationResult reserveStock(ReserveStock command) {
        return reserveStock(command, Activity.getExecutionContext().getInfo().getAttempt());
    }

    /** {@link #reserveStock(ReserveStock)} as its {@code attempt}-th attempt (1 for the first). */
    StockReservationResult reserveStock(ReserveStock command, int attempt) {
        ReservationOutcome outcome;
        try {
            List<StockLine> lines = command.lines().stream()
                    .map(line -> new StockLine(line.sku(), line.quantity()))
                    .toList();
            outcome = inventory.reserve(command.orderId(), lines,
                    attempt < WAIT_ATTEMPTS ? SemanticLocks.HOLD_AND_WAIT : SemanticLocks.HOLD);
        } catch (StockHeldByPendingOrders e) {
            throw waitFor(e, attempt);
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(
                    command.requestId() + ": invalid reservation: " + e.getMessage(), "InvalidInput", e);
        }
        log.debug("{}: {}{}", command.requestId(), outcome.result(), outcome.replayed() ? " (replayed)" : "");
        return switch (outcome.result()) {
            case RESERVED -> outcome.pending() ? StockReservationResult.reservedPending() : StockReservationResult.reserved();
            case REJECTED -> StockReservationResult.rejected(outcome.reason());
            case ALREADY_RELEASED -> StockReservationResult.rejected(RejectionReason.TECHNICAL_FAILURE);
        };
    }

    @Override
    public void releaseStock(ReleaseStock command) {
        ReleaseOutcome outcome = compensations.run(Flow.ORCHESTRATION, SagaCompensationMetrics.RELEASE_STOCK,
                () -> inventory.release(command.orderId()));
        log.debug("{}: {}", command.requestId(), outcome.result());
    }

    @Override
    public void settleReservation(SettleReservation command) {
        boolean settled = inventory.settle(command.orderId());
        log.debug("{}: {}", command.requestId(), settled ? "settled" : "nothing pending");
    }

    /** A retryable, benign failure whose next attempt comes {@code min(attempt, 10)} wait steps later. */
    static ApplicationFailure waitFor(StockHeldByPendingOrders waiting, int attempt) {
        return ApplicationFailure.newBuilder()
                .setType(STOCK_HELD_BY_PENDING_ORDERS)
                .setMessage(waiting.getMessage())
                .setNextRetryDelay(WAIT_STEP.multipliedBy(Math.min(attempt, 10)))
                .setCategory(ApplicationErrorCategory.BENIGN)
                .build();
    }
}

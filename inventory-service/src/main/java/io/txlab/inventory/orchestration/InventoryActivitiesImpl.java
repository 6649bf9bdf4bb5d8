package io.txlab.inventory.orchestration;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.orchestration.InventoryActivities;
import io.txlab.contracts.orchestration.ReleaseStock;
import io.txlab.contracts.orchestration.ReserveStock;
import io.txlab.contracts.orchestration.StockReservationResult;
import io.txlab.inventory.inventory.InventoryService;
import io.txlab.inventory.inventory.ReleaseOutcome;
import io.txlab.inventory.inventory.ReservationOutcome;
import io.txlab.inventory.inventory.StockLine;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.observability.SagaCompensationMetrics;
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
 * order already. Exceptions mean "infrastructure failed, retry", except for invalid input, which no retry can fix.
 */
@Component
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class InventoryActivitiesImpl implements InventoryActivities {

    private static final Logger log = LoggerFactory.getLogger(InventoryActivitiesImpl.class);

    private final InventoryService inventory;
    private final SagaCompensationMetrics compensations;

    public InventoryActivitiesImpl(InventoryService inventory, MeterRegistry meters) {
        this.inventory = inventory;
        this.compensations = new SagaCompensationMetrics(meters, SagaCompensationMetrics.RELEASE_STOCK,
                Flow.ORCHESTRATION);
    }

    @Override
    public StockReservationResult reserveStock(ReserveStock command) {
        ReservationOutcome outcome;
        try {
            List<StockLine> lines = command.lines().stream()
                    .map(line -> new StockLine(line.sku(), line.quantity()))
                    .toList();
            outcome = inventory.reserve(command.orderId(), lines);
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause(
                    command.requestId() + ": invalid reservation: " + e.getMessage(), "InvalidInput", e);
        }
        log.debug("{}: {}{}", command.requestId(), outcome.result(), outcome.replayed() ? " (replayed)" : "");
        return switch (outcome.result()) {
            case RESERVED -> StockReservationResult.reserved();
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
}

package io.txlab.loadtests.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.loadtests.report.Results;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a flow's anomaly run is counted from its orders once final, its bursts' leftovers and the reader's samples. */
class AnomalyPhaseTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    private static final UUID BROKE_HELD = new UUID(0, 1);   // reserved a unit, declined, released after 40 ms
    private static final UUID BROKE_REFUSED = new UUID(0, 2); // refused for stock: nothing held
    private static final UUID PAID_1 = new UUID(0, 3);
    private static final UUID PAID_2 = new UUID(0, 4);
    private static final UUID PAID_REFUSED = new UUID(0, 5); // refused for stock while BROKE_HELD held the last unit

    private static AnomalyPhase.FinalOrder order(UUID id, boolean paying, String status, String reason, Long heldMs,
                                                 Long releasedMs) {
        return new AnomalyPhase.FinalOrder(id, 0, paying, status, reason, T0, T0.plusMillis(50), 0,
                heldMs == null ? null : T0.plusMillis(heldMs), releasedMs == null ? null : T0.plusMillis(releasedMs), false);
    }

    private static final List<AnomalyPhase.FinalOrder> ORDERS = List.of(
            order(BROKE_HELD, false, "CANCELLED", "INSUFFICIENT_FUNDS", 5L, 45L),
            order(BROKE_REFUSED, false, "CANCELLED", "OUT_OF_STOCK", null, null),
            order(PAID_1, true, "CONFIRMED", null, 6L, null),
            order(PAID_2, true, "CONFIRMED", null, 7L, null),
            order(PAID_REFUSED, true, "CANCELLED", "OUT_OF_STOCK", null, null),
            order(new UUID(0, 6), true, "CANCELLED", "TECHNICAL_FAILURE", null, null)); // a lock wait that voted NO

    @Test
    void aRefusalForStockThatCameBackIsFalseAndAHoldOfACancelledOrderIsDirty() {
        // 3 units: two confirmed, one back on the shelf after BROKE_HELD's release; 10.00 of 30.00 left
        List<AnomalyPhase.BurstEnd> ends = List.of(new AnomalyPhase.BurstEnd(0, 1, new BigDecimal("10.00")));
        List<AnomalyPhase.Sample> samples = List.of(
                // BROKE_HELD's reservation is visible; PAID_1 charged while its order is still PENDING
                new AnomalyPhase.Sample(Map.of(BROKE_HELD, "PENDING", PAID_1, "PENDING"), Map.of(PAID_1, "AUTHORIZED"),
                        Map.of(BROKE_HELD, "RESERVED", PAID_1, "RESERVED"), Map.of(BROKE_HELD, "PENDING", PAID_1, "PENDING")),
                // PAID_2 read CONFIRMED, its charge not there when read after it (read skew)
                new AnomalyPhase.Sample(Map.of(PAID_2, "CONFIRMED", BROKE_HELD, "CANCELLED"), Map.of(),
                        Map.of(PAID_2, "RESERVED", BROKE_HELD, "RESERVED"), Map.of(PAID_2, "CONFIRMED")));

        Results.AnomalyRun run = AnomalyPhase.analyze(new AnomalyPhase.Lane("choreography", null), ORDERS, ends, samples, List.of("answered 503"), null, null);

        assertThat(run.placed()).isEqualTo(7);
        assertThat(run.refusedOther()).isEqualTo(1);
        assertThat(run.refusedForStock()).isEqualTo(2);
        assertThat(run.falseStockRejections()).isEqualTo(1); // two refused, one unit came back
        assertThat(run.refusedForFunds()).isZero();           // BROKE orders are not the paying customer's
        assertThat(run.falseFundsRejections()).isZero();
        assertThat(run.oversoldUnits()).isZero();
        assertThat(run.stockHeldThenCancelled()).isEqualTo(1);
        assertThat(run.stockHeldP50Ms()).isEqualTo(40.0);
        assertThat(run.samples()).isEqualTo(2);
        assertThat(run.dirtyStockSeen()).isEqualTo(1);
        assertThat(run.paidWhilePendingSeen()).isEqualTo(1);
        assertThat(run.confirmedUnpaidSeen()).isEqualTo(1);
        assertThat(run.confirmedUnreservedSeen()).isZero();
        assertThat(run.cancelledHoldingSeen()).isEqualTo(1); // BROKE_HELD read CANCELLED, its unit still reserved after
        assertThat(run.retries()).isNull();
        assertThat(run.pendingStockSeen()).as("no countermeasure, no count").isNull();
        assertThat(run.outcomes()).containsEntry("CONFIRMED", 2).containsEntry("CANCELLED OUT_OF_STOCK", 2)
                .containsEntry("not placed (answered 503)", 1);
    }

    @Test
    void underASemanticLockAPendingHoldOfACancelledOrderIsCountedApartFromTheDirtyReads() {
        List<AnomalyPhase.BurstEnd> ends = List.of(new AnomalyPhase.BurstEnd(0, 0, new BigDecimal("0.00")));
        List<AnomalyPhase.Sample> samples = List.of(
                // BROKE_HELD's unit read as PENDING: a reader honouring the lock does not count it as sold
                new AnomalyPhase.Sample(Map.of(BROKE_HELD, "PENDING", PAID_1, "CONFIRMED"), Map.of(PAID_1, "AUTHORIZED"),
                        Map.of(BROKE_HELD, "PENDING", PAID_1, "PENDING"), Map.of(BROKE_HELD, "PENDING", PAID_1, "CONFIRMED")),
                // BROKE_HELD read CANCELLED while its pending unit, read after, is still held
                new AnomalyPhase.Sample(Map.of(BROKE_HELD, "CANCELLED"), Map.of(), Map.of(BROKE_HELD, "PENDING"),
                        Map.of(BROKE_HELD, "CANCELLED")));

        Results.AnomalyRun run = AnomalyPhase.analyze(new AnomalyPhase.Lane("orchestration", AnomalyPhase.SEMANTIC_LOCK),
                ORDERS, ends, samples, List.of(), null, null);

        assertThat(run.countermeasure()).isEqualTo("semantic lock");
        assertThat(run.pendingStockSeen()).isEqualTo(1);
        assertThat(run.dirtyStockSeen()).isZero();
        assertThat(run.confirmedUnreservedSeen()).as("a pending hold is a hold").isZero();
        assertThat(run.cancelledHoldingSeen()).isEqualTo(1);
        assertThat(run.falseStockRejections()).isZero();
    }

    @Test
    void onlyTheOrchestrationFlowGetsASecondRowWithItsSemanticLock() {
        assertThat(AnomalyPhase.Lane.of(List.of("choreography", "orchestration", "cockroach")))
                .extracting(AnomalyPhase.Lane::label)
                .containsExactly("choreography", "orchestration", "orchestration + semantic lock", "cockroach");
    }

    @Test
    void aSerialOutcomeHasNoAnomalyAndMoreConfirmationsThanUnitsAreOversold() {
        // Serial: nothing came back, so the refusals for stock were true ones
        Results.AnomalyRun serial = AnomalyPhase.analyze(new AnomalyPhase.Lane("cockroach", null), List.of(
                order(PAID_1, true, "CONFIRMED", null, 1L, null),
                order(PAID_REFUSED, true, "CANCELLED", "OUT_OF_STOCK", null, null)),
                List.of(new AnomalyPhase.BurstEnd(0, 0, new BigDecimal("0.00"))), List.of(), List.of(), null, null);
        assertThat(serial.falseStockRejections()).isZero();
        assertThat(serial.stockHeldThenCancelled()).isZero();
        assertThat(serial.retries()).isZero();

        List<AnomalyPhase.FinalOrder> four = List.of(order(new UUID(1, 1), true, "CONFIRMED", null, 1L, null),
                order(new UUID(1, 2), true, "CONFIRMED", null, 1L, null), order(new UUID(1, 3), true, "CONFIRMED", null, 1L, null),
                order(new UUID(1, 4), true, "CONFIRMED", null, 1L, null));
        Results.AnomalyRun broken = AnomalyPhase.analyze(new AnomalyPhase.Lane("twopc", null), four,
                List.of(new AnomalyPhase.BurstEnd(0, 0, new BigDecimal("0.00"))), List.of(), List.of(), null, null);
        assertThat(broken.oversoldUnits()).isEqualTo(1);
        assertThat(broken.overdrawnOrders()).isEqualTo(1);
    }
}

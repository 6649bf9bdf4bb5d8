package io.txlab.loadtests.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.loadtests.audit.Auditor;
import io.txlab.loadtests.report.Results;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a flow's deadline run is summed up from the orders as followed. */
class DeadlinePhaseTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");

    private static DeadlinePhase.Followed order(String status, String reason, long createdMs, Long completedMs) {
        return new DeadlinePhase.Followed(id(createdMs).toString(), status, reason, T0.plusMillis(createdMs),
                completedMs == null ? null : T0.plusMillis(completedMs));
    }

    private static UUID id(long createdMs) {
        return new UUID(0, createdMs);
    }

    @Test
    void countsEachOutcomeAndTimesOnlyTheOrdersCancelledAtTheirDeadline() {
        Results.DeadlineRun run = DeadlinePhase.summarize("choreography", "payment-service>kafka", List.of(
                order("CANCELLED", "DEADLINE_EXCEEDED", 0, 2300L),
                order("CANCELLED", "DEADLINE_EXCEEDED", 200, 2700L),
                order("CANCELLED", "DEADLINE_EXCEEDED", 400, 2500L),
                order("CONFIRMED", null, 600, 900L),
                order("PENDING", null, 800, null)), List.of("answered 503"), Map.of(
                id(0), new Auditor.Returned(T0.plusMillis(9000), false),   // held, given back after the heal
                id(200), new Auditor.Returned(T0.plusMillis(2800), false), // held, given back at the deadline
                id(400), new Auditor.Returned(null, false),                // refused before anything was held
                id(600), new Auditor.Returned(null, true)), null);         // confirmed: still held, as it should

        assertThat(run.placed()).isEqualTo(6);
        assertThat(run.deadlineExceeded()).isEqualTo(3);
        assertThat(run.timeToCancelP50Ms()).isEqualTo(2300.0); // 2100, 2300, 2500
        assertThat(run.timeToCancelMaxMs()).isEqualTo(2500.0);
        assertThat(run.notFinal()).isEqualTo(1);
        assertThat(run.heldOrders()).isEqualTo(3);
        assertThat(run.stillHeld()).isEqualTo(1);
        assertThat(run.returnedP50Ms()).isEqualTo(2600.0); // 9000 and 2600 after creation: the lower of the two
        assertThat(run.returnedMaxMs()).isEqualTo(9000.0);
        assertThat(run.outcomes()).containsEntry("CANCELLED DEADLINE_EXCEEDED", 3).containsEntry("CONFIRMED", 1)
                .containsEntry("PENDING", 1).containsEntry("not placed (answered 503)", 1);
    }

    @Test
    void noOrderCancelledAtItsDeadlineHasNoTime() {
        Results.DeadlineRun run = DeadlinePhase.summarize("twopc", "twopc-coordinator>payment-service",
                List.of(order("CANCELLED", "TECHNICAL_FAILURE", 0, 3000L)), List.of(), Map.of(), null);
        assertThat(run.deadlineExceeded()).isZero();
        assertThat(run.timeToCancelP50Ms()).isNull();
        assertThat(run.timeToCancelMaxMs()).isNull();
    }

    @Test
    void eachFlowWithAStepPartitionsTheLinkItsPaymentStepTakes() {
        assertThat(DeadlinePhase.LINKS).containsExactly(
                Map.entry("choreography", "payment-service>kafka"),
                Map.entry("outbox", "payment-service>kafka"),
                Map.entry("orchestration", "payment-service>temporal"),
                Map.entry("twopc", "twopc-coordinator>payment-service"));
    }
}

package io.txlab.loadtests.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each fault run places orders of its own: its phase is part of the run id that prefixes every Idempotency-Key, so
 * a second shared run with the first one's phase would only replay the first one's orders.
 */
class FaultRunsTest {

    @Test
    void aPhaseIsUsedOncePerSetOfFlows() {
        Set<String> used = new HashSet<>();
        String all = "choreography,outbox";
        assertThat(FaultRuns.uniquePhase(used, all, "chaos-order-service")).isEqualTo("chaos-order-service");
        assertThat(FaultRuns.uniquePhase(used, all, "chaos-postgres-payment")).isEqualTo("chaos-postgres-payment");
        assertThat(FaultRuns.uniquePhase(used, all, "chaos-order-service")).isEqualTo("chaos-order-service-2");
        assertThat(FaultRuns.uniquePhase(used, all, "chaos-order-service")).isEqualTo("chaos-order-service-3");
        // another flow's own run has its own run id already (the flow is part of it)
        assertThat(FaultRuns.uniquePhase(used, "outbox", "chaos-order-service")).isEqualTo("chaos-order-service");
    }
}

package io.txlab.loadtests.compare;

import static io.txlab.loadtests.compare.PlanArgs.plan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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

    @Test
    void aFaultRunsRateLeavesHalfTheMachineToDrainTheBacklog() {
        // two flows at 40 and 60 ms per order take turns: 50 ms on average, 2 cores at half → 20 orders/s
        assertThat(FaultRuns.rate(50, 0.5, 2, List.of(40.0, 60.0))).isEqualTo(20.0);
        // cheap flows: the plan's rate is the ceiling
        assertThat(FaultRuns.rate(50, 0.5, 2, List.of(5.0, 8.0))).isEqualTo(50.0);
        // a rate every flow can share: at least one order/s each
        assertThat(FaultRuns.rate(50, 0.5, 2, List.of(5000.0, 5000.0, 5000.0))).isEqualTo(3.0);
    }

    @Test
    void withoutAMeasuredCostOrWithTheCapOffTheRateIsThePlans() {
        assertThat(FaultRuns.rate(50, 0, 2, List.of(45.0))).isEqualTo(50.0);
        assertThat(FaultRuns.rate(50, 0.5, 2, Arrays.asList(null, null))).isEqualTo(50.0);
        // an unmeasured flow does not count towards the mean
        assertThat(FaultRuns.rate(50, 0.5, 2, Arrays.asList(100.0, null))).isEqualTo(10.0);
    }

    @Test
    void anExplicitChaosRateIsUsedAsGivenUnlessABusyShareIsAsked() {
        assertThat(new CompareCommand().plan().chaosBusy()).isEqualTo(0.5);
        assertThat(plan("--chaos-rate", "30").chaosBusy()).isZero();
        assertThat(plan("--chaos-rate", "30", "--chaos-busy", "0.4").chaosBusy()).isEqualTo(0.4);
    }
}

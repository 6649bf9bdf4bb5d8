package io.txlab.loadtests.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.loadtests.report.Document.Cell;
import io.txlab.loadtests.report.Document.Tone;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ADR 58: a CPU target read against the mechanism's floor net of idle, and against it plus the idle stack's share. */
class ReportMechanismFloorsTest {

    /** A floor of {@code net} ms per order, net of idle. */
    private static Results.MechanismFloorRun floor(double net) {
        return new Results.MechanismFloorRun("cockroach", "./txlab mechanism-floor cockroach", "1 tx", 20, 1200, 60,
                net + 0.1, net, Map.of(), Map.of(), 5, 2, 5, null);
    }

    private static Cell verdict(double net, double idleNow) {
        // the cockroach row's target: 3 ms per order; an idle stack at its 5 % target is 2.5 ms per order at 20/s
        return ReportMechanismFloors.verdict(floor(net), Targets.of("cockroach"), 2.5, idleNow);
    }

    @Test
    void aTargetUnderTheFloorIsNotReachable() {
        assertThat(verdict(3.2, 0.1).text()).isEqualTo("≤ 3.00: under the floor, not reachable here");
        assertThat(verdict(3.2, 0.1).tone()).isEqualTo(Tone.WARN);
    }

    @Test
    void aTargetUnderTheFloorPlusAnIdleStackAtItsTargetIsNotReachableUnlessTheIdleStackBeatsIt() {
        // 1.7 + 2.5 = 4.2 > 3, whatever this run's idle stack cost
        assertThat(verdict(1.7, 0.1).text())
                .isEqualTo("≤ 3.00: under the floor plus an idle stack at its target, not reachable here unless the idle "
                        + "stack beats its target");
        assertThat(verdict(1.7, 0.1).tone()).isEqualTo(Tone.WARN);
    }

    @Test
    void aTargetUnderTheFloorPlusThisRunsIdleShareNeedsAQuieterIdleStack() {
        // 0.4 + 2.5 = 2.9 ≤ 3, but 0.4 + 2.9 = 3.3 > 3
        assertThat(verdict(0.4, 2.9).text()).isEqualTo("≤ 3.00: under the floor plus this run's idle share, needs a "
                + "quieter idle stack");
    }

    @Test
    void aTargetAboveAllThreeLeavesTheRestToTheServices() {
        assertThat(verdict(0.4, 2.0).text()).isEqualTo("≤ 3.00: above the floor, the rest is the services'");
        assertThat(verdict(0.4, Double.NaN).text()).as("no idle measured in the run")
                .isEqualTo("≤ 3.00: above the floor, the rest is the services'");
        assertThat(ReportMechanismFloors.verdict(floor(0.4), Optional.empty(), 2.5, 2.0).text()).isEqualTo("–");
    }
}

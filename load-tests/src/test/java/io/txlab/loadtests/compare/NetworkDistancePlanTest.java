package io.txlab.loadtests.compare;

import static io.txlab.loadtests.compare.PlanArgs.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The network-distance sweep as the command line plans it: on in --full, off in the quick run, bad input refused. */
class NetworkDistancePlanTest {

    @Test
    void theFullRunSweepsFourDistancesAndTheQuickRunNone() {
        assertThat(plan("--full").rttMs()).containsExactly(0, 1, 10, 50);
        assertThat(plan("--full").rttSeconds()).isEqualTo(20);
        assertThat(plan("--full").rttInFlight()).isEqualTo(64);
        assertThat(plan().rttMs()).isEmpty();
        assertThat(plan().rttInFlight()).isZero();
        assertThat(plan("--full", "--rtt-sweep", "none").rttMs()).isEmpty();
    }

    @Test
    void aSweepCanBeAskedForInAnyRun() {
        Plan p = plan("--rtt-sweep", "0, 5,20", "--rtt-rate", "3", "--rtt-seconds", "4");
        assertThat(p.rttMs()).isEqualTo(List.of(0, 5, 20));
        assertThat(p.rttRate()).isEqualTo(3);
        assertThat(p.rttSeconds()).isEqualTo(4);
    }

    @Test
    void anInFlightRunDiscardsItsFirstThirdAndLastsAtMost15Seconds() {
        assertThat(NetworkDistance.inFlightDiscardSeconds(20)).isEqualTo(5);
        assertThat(NetworkDistance.inFlightSeconds(20)).isEqualTo(10);
        assertThat(NetworkDistance.inFlightDiscardSeconds(6)).isEqualTo(2);
        assertThat(NetworkDistance.inFlightSeconds(6)).isEqualTo(4);
        assertThat(NetworkDistance.inFlightDiscardSeconds(1)).isEqualTo(1);
        assertThat(NetworkDistance.inFlightSeconds(1)).isEqualTo(1);
        assertThat(plan("--rtt-sweep", "0,5", "--rtt-in-flight", "8").rttInFlight()).isEqualTo(8);
    }

    @Test
    void ordersInFlightOutsideZeroTo500AreRefusedWithTheReason() {
        for (String bad : List.of("-1", "501")) {
            assertThatThrownBy(() -> plan("--rtt-in-flight", bad)).as(bad).isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining("--rtt-in-flight must be between 0 and 500");
        }
    }

    @Test
    void aRoundTripThatIsNotAWholeNewNumberOfMillisecondsIsRefusedWithTheReason() {
        for (String bad : List.of("0,x", "-1", "0,10,10", "20000", "1.5")) {
            assertThatThrownBy(() -> plan("--rtt-sweep", bad)).as(bad).isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining("--rtt-sweep").hasMessageContaining("e.g. 0,1,10,50");
        }
    }
}

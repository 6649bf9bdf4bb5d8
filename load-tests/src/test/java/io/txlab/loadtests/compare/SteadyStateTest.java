package io.txlab.loadtests.compare;

import io.txlab.loadtests.report.Results;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SteadyStateTest {

    private static Results.Resources window(double cpuMsPerOrder, double busyPercent) {
        return new Results.Resources(5, 100, Map.of("order-service", cpuMsPerOrder), cpuMsPerOrder, cpuMsPerOrder,
                Map.of(), 0, busyPercent, busyPercent > 85, Map.of(), List.of(), 0);
    }

    @Test
    void twoWindowsWithinTheToleranceAreSteady() {
        assertThat(SteadyState.steady(List.of(window(80, 60), window(40, 50), window(38, 50)), 0.10)).isTrue();
        assertThat(SteadyState.steady(List.of(window(40, 50), window(30, 50)), 0.10)).as("25 % apart").isFalse();
        assertThat(SteadyState.steady(List.of(window(40, 50)), 0.10)).as("one window").isFalse();
    }

    @Test
    void aSaturatedMachineIsNeverSteadyHoweverAlikeItsWindows() {
        assertThat(SteadyState.steady(List.of(window(90, 99), window(88, 99)), 0.10)).isFalse();
        assertThat(SteadyState.steady(List.of(window(90, 99), window(88, 60)), 0.10)).isFalse();
    }

    @Test
    void aWindowWithoutFinishedOrdersIsNotSteady() {
        assertThat(SteadyState.steady(List.of(window(Double.NaN, 50), window(Double.NaN, 50)), 0.10)).isFalse();
    }

    private static Results.Resources idle(double stackPercentOfCore) {
        return new Results.Resources(10, 0, Map.of(), Double.NaN, Double.NaN, Map.of("kafka", stackPercentOfCore),
                stackPercentOfCore, 10, false, Map.of(), List.of(), 0);
    }

    @Test
    void idleWindowsSettleWithinTheToleranceOrWithinAPointOfOneCore() {
        assertThat(SteadyState.idleSteady(List.of(idle(21.3), idle(12.0)), 0.10)).as("the warm-up's tail").isFalse();
        assertThat(SteadyState.idleSteady(List.of(idle(21.3), idle(12.0), idle(11.5)), 0.10)).as("4 % apart").isTrue();
        assertThat(SteadyState.idleSteady(List.of(idle(4.0), idle(4.8)), 0.10)).as("20 % but under a point apart").isTrue();
        assertThat(SteadyState.idleSteady(List.of(idle(30.0), idle(32.5)), 0.10)).as("8 %, though 2.5 points").isTrue();
        assertThat(SteadyState.idleSteady(List.of(idle(12.0), idle(14.0)), 0.10)).as("17 % and 2 points").isFalse();
        assertThat(SteadyState.idleSteady(List.of(idle(12.0)), 0.10)).as("one window").isFalse();
        assertThat(SteadyState.idleSteady(List.of(idle(Double.NaN), idle(12.0)), 0.10)).as("an unreadable window").isFalse();
    }
}

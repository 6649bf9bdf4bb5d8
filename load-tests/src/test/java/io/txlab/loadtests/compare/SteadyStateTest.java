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
}

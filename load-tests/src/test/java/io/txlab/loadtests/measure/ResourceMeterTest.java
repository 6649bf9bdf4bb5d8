package io.txlab.loadtests.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.txlab.devstack.process.ProcStat;
import io.txlab.loadtests.report.Results;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceMeterTest {

    private static Results.Resources run(double seconds, long orders, double orderServiceMs, double generatorMs,
                                         double busy, boolean saturated, List<String> restarted) {
        return run(seconds, orders, orderServiceMs, generatorMs, busy, saturated, restarted, 0);
    }

    private static Results.Resources run(double seconds, long orders, double orderServiceMs, double generatorMs,
                                         double busy, boolean saturated, List<String> restarted, double ioStall) {
        return new Results.Resources(seconds, orders,
                Map.of("order-service", orderServiceMs, ResourceMeter.LOAD_GENERATOR, generatorMs),
                orderServiceMs, orderServiceMs + generatorMs,
                Map.of("order-service", 100 * orderServiceMs * orders / 1000 / seconds,
                        ResourceMeter.LOAD_GENERATOR, 100 * generatorMs * orders / 1000 / seconds),
                100 * orderServiceMs * orders / 1000 / seconds, busy, saturated,
                Map.of("order-service", 2.0), restarted, ioStall);
    }

    @Test
    void aLaneOnAFewComponentsCountsOnlyThoseAndTheLoadGenerator() {
        long tick = ProcStat.TICKS_PER_SECOND; // one second of CPU
        ResourceMeter.Reading before = new ResourceMeter.Reading(0, new ProcStat.MachineTicks(0, 0, 0),
                Map.of("postgres-cockroach", new ResourceMeter.Component(1, 0, null),
                        "temporal", new ResourceMeter.Component(2, 0, null)), 0, 0);
        ResourceMeter.Reading after = new ResourceMeter.Reading(10_000_000_000L, new ProcStat.MachineTicks(2000, 1000, 0),
                Map.of("postgres-cockroach", new ResourceMeter.Component(1, 2 * tick, null),
                        "temporal", new ResourceMeter.Component(2, 3 * tick, null)), tick, 0);

        Results.Resources all = ResourceMeter.between(before, after, 200, 85);
        Results.Resources floor = ResourceMeter.between(before, after, 200, 85, Set.of("postgres-cockroach"));

        // 2 s + 3 s of the stack and 1 s of the load generator over 200 orders
        assertThat(all.totalCpuMsPerOrder()).isCloseTo(30.0, within(0.01));
        assertThat(floor.cpuMsPerOrder()).containsOnlyKeys("postgres-cockroach", ResourceMeter.LOAD_GENERATOR);
        assertThat(floor.stackCpuMsPerOrder()).isCloseTo(10.0, within(0.01));
        assertThat(floor.totalCpuMsPerOrder()).isCloseTo(15.0, within(0.01));
        assertThat(floor.machineBusyPercent()).isEqualTo(all.machineBusyPercent());
    }

    @Test
    void aComponentStoppedByTheSecondReadingHasNoFigureAndNeitherHaveTheTotals() {
        long tick = ProcStat.TICKS_PER_SECOND;
        ResourceMeter.Reading before = new ResourceMeter.Reading(0, new ProcStat.MachineTicks(0, 0, 0),
                Map.of("order-service", new ResourceMeter.Component(1, 5 * tick, null),
                        "temporal", new ResourceMeter.Component(2, 0, null)), 0, 0);
        ResourceMeter.Reading after = new ResourceMeter.Reading(10_000_000_000L, new ProcStat.MachineTicks(2000, 1000, 0),
                Map.of("order-service", new ResourceMeter.Component(1, ResourceMeter.Component.GONE, null),
                        "temporal", new ResourceMeter.Component(2, 3 * tick, null)), tick, 0);

        Results.Resources r = ResourceMeter.between(before, after, 200, 85);

        // not 5 s of CPU taken back from the stack: what the stopped process spent in between went with it
        assertThat(r.cpuMsPerOrder().get("order-service")).isNaN();
        assertThat(r.cpuMsPerOrder().get("temporal")).isCloseTo(15.0, within(0.01));
        assertThat(r.stackCpuMsPerOrder()).isNaN();
        assertThat(r.totalCpuMsPerOrder()).isNaN();
        assertThat(r.restarted()).containsExactly("order-service");
    }

    @Test
    void pooledRunsWeighEachRunByItsOrdersAndSeconds() {
        Results.Resources pooled = ResourceMeter.pooled(List.of(
                run(10, 100, 30, 2, 40, false, List.of()),
                run(10, 300, 10, 1, 60, false, List.of("kafka"))), 85);

        assertThat(pooled.orders()).isEqualTo(400);
        assertThat(pooled.seconds()).isEqualTo(20);
        // (30 × 100 + 10 × 300) / 400 = 15, not the mean of 30 and 10
        assertThat(pooled.cpuMsPerOrder().get("order-service")).isCloseTo(15.0, within(0.01));
        assertThat(pooled.stackCpuMsPerOrder()).isCloseTo(15.0, within(0.01));
        assertThat(pooled.totalCpuMsPerOrder()).isCloseTo(15.0 + 1.25, within(0.01));
        // 6000 ms of order-service CPU over 20 s = 30 % of a core
        assertThat(pooled.percentOfCore().get("order-service")).isCloseTo(30.0, within(0.01));
        assertThat(pooled.machineBusyPercent()).isCloseTo(50.0, within(0.01));
        assertThat(pooled.gcPauseMs().get("order-service")).isEqualTo(4.0);
        assertThat(pooled.restarted()).containsExactly("kafka");
        assertThat(pooled.saturated()).isFalse();
    }

    @Test
    void ioStallIsPooledOverSecondsAndUnknownWhenOneRunCouldNotTell() {
        Results.Resources pooled = ResourceMeter.pooled(List.of(
                run(10, 100, 30, 2, 40, false, List.of(), 20),
                run(30, 100, 30, 2, 40, false, List.of(), 0)), 85);
        assertThat(pooled.ioStallPercent()).isCloseTo(5.0, within(0.01));
        assertThat(ResourceMeter.pooled(List.of(
                run(10, 100, 30, 2, 40, false, List.of(), 20),
                run(10, 100, 30, 2, 40, false, List.of(), Double.NaN)), 85).ioStallPercent()).isNaN();
    }

    @Test
    void oneSaturatedRunMarksThePool() {
        Results.Resources pooled = ResourceMeter.pooled(List.of(
                run(10, 100, 30, 2, 40, false, List.of()),
                run(10, 100, 30, 2, 95, true, List.of())), 85);
        assertThat(pooled.saturated()).isTrue();
    }

    @Test
    void runsWithoutOrdersOrMeasurementAreLeftOut() {
        assertThat(ResourceMeter.pooled(Arrays.asList(null, run(5, 0, Double.NaN, Double.NaN, 10, false, List.of())), 85))
                .isNull();
        Results.Resources pooled = ResourceMeter.pooled(Arrays.asList(null, run(10, 100, 30, 2, 40, false, List.of())), 85);
        assertThat(pooled.cpuMsPerOrder().get("order-service")).isCloseTo(30.0, within(0.01));
    }
}

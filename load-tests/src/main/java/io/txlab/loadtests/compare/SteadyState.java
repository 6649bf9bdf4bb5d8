package io.txlab.loadtests.compare;

import io.txlab.loadtests.measure.ResourceMeter;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.report.Targets;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A lane's warm-up, run until it is steady rather than for a fixed time: the lane alone at the latency rate, in
 * windows, until its whole-stack CPU per order changed by less than the tolerance between two consecutive windows (or
 * the cap). A JIT still compiling, pools still growing or a backlog still draining all show as CPU per order moving,
 * so after it the lane is in its steady state; its latency repetitions, which follow, give its CPU figure.
 *
 * <p>The idle stack is measured the same way (ADR 42): in windows with no load until its share of a core settles,
 * because the first seconds after the warm-up still carry its tail (compilation, collection, sweeps finding work).
 */
final class SteadyState {

    private final Plan plan;
    private final LoadRuns runs;
    private final Consumer<String> progress;

    SteadyState(Plan plan, LoadRuns runs, Consumer<String> progress) {
        this.plan = plan;
        this.runs = runs;
        this.progress = progress;
    }

    /**
     * Whether the last two windows agree within the tolerance, neither taken on a saturated machine: there, CPU per
     * order is only the machine's capacity divided by the throughput, steady or not (JIT compilation behind a queue
     * looks as constant as a warm flow).
     */
    static boolean steady(List<Results.Resources> windows, double tolerance) {
        if (windows.size() < 2) {
            return false;
        }
        Results.Resources lastWindow = windows.get(windows.size() - 1);
        Results.Resources beforeWindow = windows.get(windows.size() - 2);
        if (lastWindow.saturated() || beforeWindow.saturated()) {
            return false;
        }
        double last = lastWindow.totalCpuMsPerOrder();
        double before = beforeWindow.totalCpuMsPerOrder();
        return !Double.isNaN(last) && !Double.isNaN(before) && before > 0 && Math.abs(last - before) / before < tolerance;
    }

    /**
     * Whether the last two idle windows agree: the stack's share of a core changed by less than the tolerance
     * (relative) or by less than {@link Targets#IDLE_STEADY_POINTS}.
     */
    static boolean idleSteady(List<Results.Resources> windows, double tolerance) {
        if (windows.size() < 2) {
            return false;
        }
        double last = windows.get(windows.size() - 1).stackPercentOfCore();
        double before = windows.get(windows.size() - 2).stackPercentOfCore();
        if (Double.isNaN(last) || Double.isNaN(before)) {
            return false;
        }
        double change = Math.abs(last - before);
        return change < Targets.IDLE_STEADY_POINTS || (before > 0 && change / before < tolerance);
    }

    /**
     * The stack with no load: consecutive windows of {@code idleSeconds} until two agree ({@link #idleSteady}), at most
     * as many as fit in the lanes' warm-up cap; the last window is the figure.
     */
    Results.SteadyState idle() {
        ResourceMeter meter = runs.meter();
        int maxWindows = maxWindows(plan.idleSeconds());
        List<Results.Resources> windows = new ArrayList<>();
        ResourceMeter.Reading before = meter.read();
        while (windows.size() < maxWindows && !idleSteady(windows, plan.steadyTolerance())) {
            Comparison.sleep((long) (plan.idleSeconds() * 1000));
            ResourceMeter.Reading after = meter.read();
            Results.Resources w = ResourceMeter.between(before, after, 0, Targets.SATURATED_BUSY_PERCENT);
            windows.add(w);
            before = after;
            progress.accept(String.format(Locale.ROOT, "idle: window %d: %.1f %% of one core (stack), machine %.0f %% busy",
                    windows.size(), w.stackPercentOfCore(), w.machineBusyPercent()));
        }
        boolean reached = idleSteady(windows, plan.steadyTolerance());
        return result("idle", windows, plan.idleSeconds(), reached);
    }

    /** A flow through Gatling; the run stops at the first arrival after the lane was found steady. */
    Results.SteadyState flow(String flow) {
        int maxWindows = maxWindows(plan.windowSeconds());
        // long enough for every window (the first starts once Gatling does); the predicate ends the run sooner
        int cap = (int) Math.ceil((maxWindows + 1) * plan.windowSeconds());
        List<Results.Resources> windows = runs.windows(LoadRuns.Spec.constant(List.of(flow), "steady", plan.rate(), cap),
                plan.windowSeconds(), w -> {
                    report(flow, w);
                    return steady(w, plan.steadyTolerance()) || w.size() >= maxWindows;
                });
        return result(flow, windows);
    }

    /** The floor: consecutive runs of one window each, with a reading around each (its scheduler starts at once). */
    Results.SteadyState floor(FloorBenchmark bench, String runPrefix) throws SQLException, InterruptedException {
        ResourceMeter meter = runs.meter();
        int maxWindows = maxWindows(plan.windowSeconds());
        List<Results.Resources> windows = new ArrayList<>();
        while (windows.size() < maxWindows && !steady(windows, plan.steadyTolerance())) {
            ResourceMeter.Reading before = meter.read();
            List<OrderSample> samples = bench.run(plan.rate(), Duration.ofMillis((long) (plan.windowSeconds() * 1000)),
                    plan.mix(), plan.seed() + windows.size(), runPrefix + "-floor-steady-" + (windows.size() + 1));
            ResourceMeter.Reading after = meter.read();
            long finals = samples.stream().filter(s -> s.outcome().isFinal()).count();
            windows.add(FloorBenchmark.cost(before, after, finals));
            report("floor", windows);
        }
        return result("floor", windows);
    }

    /** How many windows of {@code windowSeconds} fit in the warm-up cap, at least the two that can agree. */
    private int maxWindows(double windowSeconds) {
        return Math.max(2, (int) Math.floor(plan.maxWarmupSeconds() / windowSeconds));
    }

    private Results.SteadyState result(String lane, List<Results.Resources> windows) {
        return result(lane, windows, plan.windowSeconds(), steady(windows, plan.steadyTolerance()));
    }

    private Results.SteadyState result(String lane, List<Results.Resources> windows, double windowSeconds, boolean reached) {
        double seconds = windows.stream().mapToDouble(Results.Resources::seconds).sum();
        progress.accept(String.format(Locale.ROOT, "%s: %s after %.0f s (%d windows of %.0f s)", lane,
                reached ? "steady" : "NOT steady (cap reached)", seconds, windows.size(), windowSeconds));
        return new Results.SteadyState(windowSeconds, plan.steadyTolerance(), reached, seconds, windows);
    }

    private void report(String lane, List<Results.Resources> windows) {
        Results.Resources w = windows.get(windows.size() - 1);
        progress.accept(String.format(Locale.ROOT, "%s: warm-up window %d: %.1f ms CPU per order (stack %.1f + load generator %.1f), "
                        + "%d orders, machine %.0f %% busy", lane, windows.size(), w.totalCpuMsPerOrder(), w.stackCpuMsPerOrder(),
                w.cpuMsPerOrder().getOrDefault(ResourceMeter.LOAD_GENERATOR, Double.NaN), w.orders(), w.machineBusyPercent()));
    }
}

package io.txlab.loadtests.compare;

import io.txlab.loadtests.report.Results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A flow's maximum sustained rate: steps of the flow alone, each a ramp (discarded) then {@code stepSeconds} at the
 * step's rate. The first step is at the rate its CPU per order predicts two cores can carry (at 60 % busy, leaving room
 * for the queueing that starts well before 100 %); then the rate doubles while steps pass and halves while they fail,
 * and once a passing and a failing rate bracket the knee, the search bisects until they are within 15 % or the steps
 * run out. A step passes with p99 ≤ SLO and at most the error budget of its orders failed or unfinished.
 */
final class KneeSearch {

    /** Stop bisecting when the failing rate is within this factor of the passing one. */
    static final double RESOLUTION = 1.15;

    private final Plan plan;
    private final LoadRuns runs;
    private final Consumer<String> settle;
    private final Consumer<String> progress;
    private final BiFunction<String, String, String> afterFailedStep;
    private final int cores = Runtime.getRuntime().availableProcessors();

    /**
     * @param afterFailedStep given the flow and the failed step's name, puts the stack back as it was before the step (a
     *                        component that stopped in it is restarted and warmed up) and says what it did, or "" when
     *                        there was nothing to do
     */
    KneeSearch(Plan plan, LoadRuns runs, Consumer<String> settle, Consumer<String> progress,
               BiFunction<String, String, String> afterFailedStep) {
        this.plan = plan;
        this.runs = runs;
        this.settle = settle;
        this.progress = progress;
        this.afterFailedStep = afterFailedStep;
    }

    /** The first rate to try: what the machine's cores carry at 60 % busy, at the flow's CPU per order. */
    static double estimate(double cpuMsPerOrder, int cores) {
        if (Double.isNaN(cpuMsPerOrder) || cpuMsPerOrder <= 0) {
            return 50;
        }
        return Math.max(10, Math.min(2000, Math.round(0.6 * cores * 1000 / cpuMsPerOrder)));
    }

    /** The next rate given the best passing and the worst failing so far (NaN: none yet); NaN when the search is done. */
    static double next(double passed, double failed) {
        if (Double.isNaN(failed)) {
            return Math.round(passed * 2);
        }
        if (Double.isNaN(passed)) {
            return failed / 2 < 5 ? Double.NaN : Math.round(failed / 2);
        }
        if (failed / passed <= RESOLUTION) {
            return Double.NaN;
        }
        return Math.round(Math.sqrt(passed * failed));
    }

    Results.Throughput search(String flow, Results.Resources cpuAtLatencyRate) {
        double estimate = estimate(cpuAtLatencyRate == null ? Double.NaN : cpuAtLatencyRate.totalCpuMsPerOrder(), cores);
        progress.accept(String.format(Locale.ROOT, "%s: throughput: first step at %.0f/s (from %s ms CPU per order on %d cores)",
                flow, estimate, cpuAtLatencyRate == null ? "?" : Comparison.fmt(cpuAtLatencyRate.totalCpuMsPerOrder()), cores));
        List<Results.Step> steps = new ArrayList<>();
        double passed = Double.NaN;
        double failed = Double.NaN;
        Results.Resources atMax = null;
        double rate = estimate;
        int seconds = (int) Math.round(plan.stepSeconds());
        int ramp = (int) Math.round(plan.rampSeconds());
        while (steps.size() < plan.maxSteps() && !Double.isNaN(rate)) {
            settle.accept(flow);
            LoadRuns.Measured m = runs.measured(LoadRuns.Spec.constant(List.of(flow), "step-" + (int) rate, rate, seconds)
                    .ramped(ramp, Math.max(1, rate / 2)));
            Results.RunStats s = runs.stats(m.run(), LoadRuns.sustained(m.run()), m.resources());
            double bad = Stats.badPercent(s);
            boolean p99Ok = !Double.isNaN(s.latencyMs().p99()) && s.latencyMs().p99() <= plan.sloP99Ms();
            boolean ok = p99Ok && bad <= plan.errorBudgetPercent();
            String reason = !p99Ok ? "p99 " + Comparison.fmt(s.latencyMs().p99()) + " ms > SLO " + Comparison.fmt(plan.sloP99Ms()) + " ms"
                    : bad > plan.errorBudgetPercent() ? String.format(Locale.ROOT, "%.1f %% failed or unfinished > budget %.1f %%", bad, plan.errorBudgetPercent())
                    : "p99 " + Comparison.fmt(s.latencyMs().p99()) + " ms, " + String.format(Locale.ROOT, "%.1f %%", bad) + " bad";
            if (!ok) {
                String restored = afterFailedStep.apply(flow, String.format(Locale.ROOT, "%s's %.0f/s step", flow, rate));
                reason = restored.isEmpty() ? reason : reason + "; " + restored;
            }
            steps.add(new Results.Step(rate, ok, reason, s));
            progress.accept(String.format(Locale.ROOT, "%s: step %.0f/s: %s (%.0f final/s, %d orders, %s ms CPU per order, machine %s %% busy) %s",
                    flow, rate, ok ? "ok" : "BROKEN", s.finalPerSecond(), s.orders(),
                    s.resources() == null ? "?" : Comparison.fmt(s.resources().totalCpuMsPerOrder()),
                    s.resources() == null ? "?" : Comparison.fmt(s.resources().machineBusyPercent()), reason));
            if (ok) {
                if (Double.isNaN(passed) || rate > passed) {
                    passed = rate;
                    atMax = s.resources();
                }
            } else if (Double.isNaN(failed) || rate < failed) {
                failed = rate;
            }
            rate = next(passed, failed);
        }
        String stop = Double.isNaN(failed) ? "every step passed up to " + Comparison.fmt(passed) + "/s: the knee is higher"
                : Double.isNaN(passed) ? "every step failed down to " + Comparison.fmt(failed) + "/s"
                : String.format(Locale.ROOT, "the knee lies between %s and %s orders/s", Comparison.fmt(passed), Comparison.fmt(failed));
        return new Results.Throughput(plan.sloP99Ms(), plan.errorBudgetPercent(), seconds, ramp, estimate, steps,
                Double.isNaN(passed) ? null : passed, Double.isNaN(failed) ? null : failed, atMax, stop);
    }
}

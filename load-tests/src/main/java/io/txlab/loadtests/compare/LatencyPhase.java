package io.txlab.loadtests.compare;

import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.SampleFile;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.measure.ResourceMeter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Latency under the same conditions for every lane: each repetition runs every lane alone at the plan's rate, one
 * after the other, the order rotated by one lane per repetition (so drift in the machine, a JIT still compiling, a
 * neighbour's load, falls on every lane in turn rather than on the last one). Percentiles pool each lane's orders
 * over the repetitions; their spread is the CV. Every lane's run carries its own CPU per order and machine load.
 */
final class LatencyPhase {

    /** What the phase produced: each lane's latency, and every lane's run in the order they ran. */
    record Outcome(Map<String, Results.Latency> byLane, List<Results.RunStats> runs) {
    }

    private final Plan plan;
    private final LoadRuns runs;
    private final Consumer<String> progress;

    LatencyPhase(Plan plan, LoadRuns runs, Consumer<String> progress) {
        this.plan = plan;
        this.runs = runs;
        this.progress = progress;
    }

    /** @param floor the floor lane, or null when it is not measured */
    Outcome run(List<String> flows, FloorBenchmark floor, String runPrefix) {
        List<String> lanes = new ArrayList<>(flows);
        if (floor != null) {
            lanes.add(0, "floor");
        }
        Map<String, List<Results.RunStats>> reps = new LinkedHashMap<>();
        Map<String, List<OrderSample>> pooled = new LinkedHashMap<>();
        lanes.forEach(l -> {
            reps.put(l, new ArrayList<>());
            pooled.put(l, new ArrayList<>());
        });
        List<Results.RunStats> all = new ArrayList<>();
        int seconds = (int) Math.round(plan.repetitionSeconds());
        for (int i = 1; i <= plan.repetitions(); i++) {
            List<String> order = new ArrayList<>(lanes);
            Collections.rotate(order, -(i - 1));
            for (String lane : order) {
                Results.RunStats stats;
                List<OrderSample> samples;
                if (lane.equals("floor")) {
                    String runId = runPrefix + "-floor-latency-" + i;
                    ResourceMeter.Reading before = runs.meter().read();
                    samples = runFloor(floor, seconds, runId);
                    ResourceMeter.Reading after = runs.meter().read();
                    long finals = samples.stream().filter(s -> s.outcome().isFinal()).count();
                    Path file = runs.samplesFile(runId + ".csv");
                    SampleFile.write(file, samples);
                    stats = Stats.runStats(runId, plan.rate(), seconds, samples,
                            FloorBenchmark.cost(before, after, finals), null, runs.rel(file),
                            runs.samplesFile(runId + ".hgrm"));
                } else {
                    LoadRuns.Spec spec = LoadRuns.Spec.constant(List.of(lane), "latency-" + i, plan.rate(), seconds);
                    LoadRuns.Measured measured = runs.measured(i == 1 ? spec.withHtml() : spec);
                    samples = measured.run().samples();
                    stats = runs.stats(measured.run(), samples, measured.resources());
                }
                reps.get(lane).add(stats);
                pooled.get(lane).addAll(samples);
                all.add(stats);
            }
            report(i, order, reps);
        }
        Map<String, Results.Latency> byLane = new LinkedHashMap<>();
        for (String lane : lanes) {
            double busy = reps.get(lane).stream().filter(r -> r.resources() != null)
                    .mapToDouble(r -> r.resources().machineBusyPercent()).max().orElse(Double.NaN);
            byLane.put(lane, Stats.latency(plan.rate(), lanes, reps.get(lane), pooled.get(lane), plan.minP99Samples(), busy,
                    runs.samplesFile(runPrefix + "-" + lane + "-latency-pooled.hgrm")));
        }
        return new Outcome(byLane, all);
    }

    private List<OrderSample> runFloor(FloorBenchmark floor, int seconds, String runId) {
        try {
            return floor.run(plan.rate(), Duration.ofSeconds(seconds), plan.mix(), plan.seed() + 7, runId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void report(int rep, List<String> order, Map<String, List<Results.RunStats>> reps) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "latency rep %d/%d (each lane alone at %s/s, in this order):",
                rep, plan.repetitions(), Comparison.fmt(plan.rate())));
        for (String lane : order) {
            Results.RunStats s = reps.get(lane).get(rep - 1);
            line.append(String.format(Locale.ROOT, " %s p50 %s ms (%d", lane, Comparison.fmt(s.latencyMs().p50()), s.finalOrders()));
            if (s.unfinished() + s.errors() > 0) {
                line.append(String.format(Locale.ROOT, "; %d unfinished, %d failed", s.unfinished(), s.errors()));
            }
            if (s.resources() != null) {
                line.append(String.format(Locale.ROOT, "; %.0f %% busy%s", s.resources().machineBusyPercent(),
                        s.resources().saturated() ? " SATURATED" : ""));
            }
            line.append(")");
        }
        progress.accept(line.toString());
    }
}

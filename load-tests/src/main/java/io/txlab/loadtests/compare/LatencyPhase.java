package io.txlab.loadtests.compare;

import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.SampleFile;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.simulations.RunControl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Latency under the same conditions for every lane: each repetition is one run in which every flow gets its orders
 * in turn at the plan's rate per flow (so the run's rate is that times the flows), and the floor runs beside it at the
 * same rate from the moment Gatling starts injecting. Every lane sees the same machine at the same time; the
 * repetitions pool their orders for the percentiles and show their spread as the CV.
 */
final class LatencyPhase {

    /** What the phase produced: each lane's latency, and each repetition's run as a whole (its cost, the machine). */
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
        List<Results.RunStats> whole = new ArrayList<>();
        int seconds = (int) Math.round(plan.repetitionSeconds());
        for (int i = 1; i <= plan.repetitions(); i++) {
            LoadRuns.Spec spec = LoadRuns.Spec.constant(flows, "latency-" + i, plan.rate() * flows.size(), seconds);
            if (i == 1) {
                spec = spec.withHtml();
            }
            AtomicReference<List<OrderSample>> floorSamples = new AtomicReference<>(List.of());
            Thread[] floorThread = new Thread[1];
            String floorRun = runPrefix + "-floor-latency-" + i;
            Consumer<RunControl> startFloorWithInjection = control -> {
                if (floor == null) {
                    return;
                }
                try {
                    if (control.awaitStart(60, TimeUnit.SECONDS) >= 0) {
                        floorThread[0] = new Thread(() -> floorSamples.set(runFloor(floor, seconds, floorRun)), "compare-floor-lane");
                        floorThread[0].start();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            LoadRuns.Measured measured = runs.measured(spec, startFloorWithInjection);
            join(floorThread[0]);
            long finals = measured.run().samples().stream().filter(s -> s.outcome().isFinal()).count()
                    + floorSamples.get().stream().filter(s -> s.outcome().isFinal()).count();
            Results.RunStats all = runs.stats(measured.run(), measured.run().samples(), measured.per(finals));
            whole.add(all);
            for (String flow : flows) {
                Results.RunStats share = runs.share(measured.run(), flow);
                reps.get(flow).add(share);
                pooled.get(flow).addAll(LoadRuns.ofFlow(measured.run().samples(), flow));
            }
            if (floor != null) {
                Path file = runs.samplesFile(floorRun + ".csv");
                SampleFile.write(file, floorSamples.get());
                reps.get("floor").add(Stats.runStats(floorRun, plan.rate(), seconds, floorSamples.get(), null, null,
                        runs.rel(file), runs.samplesFile(floorRun + ".hgrm")));
                pooled.get("floor").addAll(floorSamples.get());
            }
            report(i, lanes, reps, all);
        }
        double busy = whole.stream().filter(r -> r.resources() != null)
                .mapToDouble(r -> r.resources().machineBusyPercent()).max().orElse(Double.NaN);
        Map<String, Results.Latency> byLane = new LinkedHashMap<>();
        for (String lane : lanes) {
            byLane.put(lane, Stats.latency(plan.rate(), lanes, reps.get(lane), pooled.get(lane), plan.minP99Samples(), busy,
                    runs.samplesFile(runPrefix + "-" + lane + "-latency-pooled.hgrm")));
        }
        return new Outcome(byLane, whole);
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

    private void report(int rep, List<String> lanes, Map<String, List<Results.RunStats>> reps, Results.RunStats all) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "latency rep %d/%d (%s at %s/s each):", rep,
                plan.repetitions(), String.join(", ", lanes), Comparison.fmt(plan.rate())));
        for (String lane : lanes) {
            Results.RunStats s = reps.get(lane).get(rep - 1);
            line.append(String.format(Locale.ROOT, " %s p50 %s ms (%d)", lane, Comparison.fmt(s.latencyMs().p50()), s.finalOrders()));
            if (s.unfinished() + s.errors() > 0) {
                line.append(String.format(Locale.ROOT, " [%d unfinished, %d failed]", s.unfinished(), s.errors()));
            }
        }
        if (all.resources() != null) {
            line.append(String.format(Locale.ROOT, "; machine %.0f %% busy%s", all.resources().machineBusyPercent(),
                    all.resources().saturated() ? " (SATURATED)" : ""));
        }
        progress.accept(line.toString());
    }
}

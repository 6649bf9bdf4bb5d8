package io.txlab.loadtests.measure;

import io.txlab.devstack.process.GcLog;
import io.txlab.devstack.process.JvmOptions;
import io.txlab.devstack.process.ProcStat;
import io.txlab.devstack.stack.StackState;
import io.txlab.loadtests.report.Results;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run cost the machine: CPU time of every stack component (its whole process tree, from the PIDs the devstack
 * recorded in {@code stack.json}) and of this JVM (the load generator), stop-the-world GC pauses per JVM, and how busy
 * the machine was. Take a {@link Reading} before and after a run; {@link #between} divides by the orders the run
 * finished. CPU per order is the figure that compares across machines and holds on a noisy one.
 */
public final class ResourceMeter {

    /** The load generator's entry in every per-component map. */
    public static final String LOAD_GENERATOR = "load-generator";

    private final Path runDir;
    private final long self = ProcessHandle.current().pid();

    public ResourceMeter(Path runDir) {
        this.runDir = runDir.toAbsolutePath();
    }

    /**
     * One component at one instant: which process, its tree's CPU ticks ({@link #GONE}: the recorded process was not
     * running), its GC pauses so far (null: no GC log).
     */
    record Component(long pid, long ticks, Double gcPauseMs) {

        static final long GONE = -1;
    }

    /** Everything at one instant. */
    public record Reading(long nanoTime, ProcStat.MachineTicks machine, Map<String, Component> components,
                          long loadGeneratorTicks, double loadGeneratorGcMs) {
    }

    public Reading read() {
        Map<String, StackState.Entry> recorded = StackState.read(runDir.resolve("stack.json"))
                .map(StackState::components).orElse(Map.of());
        ProcStat.Snapshot snapshot = ProcStat.snapshot();
        Map<String, Component> components = new LinkedHashMap<>();
        recorded.forEach((name, entry) -> {
            Path gcLog = runDir.resolve(name).resolve(JvmOptions.GC_LOG);
            components.put(name, new Component(entry.pid(),
                    snapshot.has(entry.pid()) ? snapshot.treeTicks(entry.pid()) : Component.GONE,
                    Files.exists(gcLog) ? GcLog.pauseMillis(gcLog) : null));
        });
        return new Reading(snapshot.nanoTime(), snapshot.machine(), components, snapshot.ownTicks(self), ownGcMillis());
    }

    /**
     * The usage between two readings, per order finished in between ({@code orders} 0: per-order figures are NaN,
     * the percentages of a core still tell what an idle stack costs). A component restarted in between (another PID)
     * counts from its new process's start, and is listed as restarted: its figure then misses the old process's last
     * moments. A component whose process had stopped by the second reading is listed too, but its CPU is unknown (its
     * last ticks went with it): its figures and the totals are NaN.
     */
    public static Results.Resources between(Reading before, Reading after, long orders, double saturatedBusyPercent) {
        return between(before, after, orders, saturatedBusyPercent, null);
    }

    /**
     * As {@link #between(Reading, Reading, long, double)}, counting only the named stack components (and the load
     * generator): for a lane that runs on a few of them, such as the floor, whose figure would otherwise be mostly the
     * idle cost of components it never touches.
     *
     * @param only the components to count; null for all
     */
    public static Results.Resources between(Reading before, Reading after, long orders, double saturatedBusyPercent,
                                            Set<String> only) {
        double seconds = (after.nanoTime() - before.nanoTime()) / 1e9;
        Map<String, Double> cpuMsPerOrder = new LinkedHashMap<>();
        Map<String, Double> percentOfCore = new LinkedHashMap<>();
        Map<String, Double> gcPauseMs = new LinkedHashMap<>();
        List<String> restarted = new ArrayList<>();
        double stackMs = 0;
        for (Map.Entry<String, Component> e : after.components().entrySet()) {
            if (only != null && !only.contains(e.getKey())) {
                continue;
            }
            Component now = e.getValue();
            Component then = before.components().get(e.getKey());
            boolean sameProcess = then != null && then.pid() == now.pid();
            boolean stopped = now.ticks() == Component.GONE;
            if (!sameProcess || stopped) {
                restarted.add(e.getKey());
            }
            double ms = stopped ? Double.NaN : ticksToMs(now.ticks() - (sameProcess ? then.ticks() : 0));
            stackMs += ms;
            cpuMsPerOrder.put(e.getKey(), perOrder(ms, orders));
            percentOfCore.put(e.getKey(), percentOfCore(ms, seconds));
            if (now.gcPauseMs() != null) {
                double gcThen = sameProcess && then.gcPauseMs() != null && then.gcPauseMs() <= now.gcPauseMs() ? then.gcPauseMs() : 0;
                gcPauseMs.put(e.getKey(), round(now.gcPauseMs() - gcThen));
            }
        }
        double generatorMs = ticksToMs(after.loadGeneratorTicks() - before.loadGeneratorTicks());
        cpuMsPerOrder.put(LOAD_GENERATOR, perOrder(generatorMs, orders));
        percentOfCore.put(LOAD_GENERATOR, percentOfCore(generatorMs, seconds));
        gcPauseMs.put(LOAD_GENERATOR, round(after.loadGeneratorGcMs() - before.loadGeneratorGcMs()));
        double busy = after.machine().busyPercentSince(before.machine());
        return resources(seconds, orders, cpuMsPerOrder, stackMs, generatorMs, percentOfCore, busy,
                !Double.isNaN(busy) && busy > saturatedBusyPercent, gcPauseMs, restarted,
                after.machine().ioStallPercentSince(before.machine(), seconds));
    }

    /**
     * Several runs' usage as one: per-order figures over all their orders, shares of a core and the machine's busy
     * share over all their seconds, GC pauses summed, restarts listed once; null when no run has a measurement.
     */
    public static Results.Resources pooled(List<Results.Resources> runs, double saturatedBusyPercent) {
        List<Results.Resources> measured = runs.stream().filter(r -> r != null && r.orders() > 0 && r.seconds() > 0).toList();
        if (measured.isEmpty()) {
            return null;
        }
        double seconds = measured.stream().mapToDouble(Results.Resources::seconds).sum();
        long orders = measured.stream().mapToLong(Results.Resources::orders).sum();
        Map<String, Double> cpuMsPerOrder = new LinkedHashMap<>();
        Map<String, Double> percentOfCore = new LinkedHashMap<>();
        Map<String, Double> gcPauseMs = new LinkedHashMap<>();
        List<String> restarted = new ArrayList<>();
        double stackMs = 0;
        double generatorMs = 0;
        double busySeconds = 0;
        double ioStallSeconds = 0;
        boolean ioStallKnown = true;
        for (Results.Resources r : measured) {
            if (Double.isNaN(r.ioStallPercent())) {
                ioStallKnown = false;
            } else {
                ioStallSeconds += r.ioStallPercent() * r.seconds();
            }
            for (Map.Entry<String, Double> e : r.cpuMsPerOrder().entrySet()) {
                double ms = Double.isNaN(e.getValue()) ? 0 : e.getValue() * r.orders();
                cpuMsPerOrder.merge(e.getKey(), ms, Double::sum);
                if (LOAD_GENERATOR.equals(e.getKey())) {
                    generatorMs += ms;
                } else {
                    stackMs += ms;
                }
            }
            r.gcPauseMs().forEach((k, v) -> gcPauseMs.merge(k, v, Double::sum));
            r.restarted().stream().filter(c -> !restarted.contains(c)).forEach(restarted::add);
            busySeconds += (Double.isNaN(r.machineBusyPercent()) ? 0 : r.machineBusyPercent()) * r.seconds();
        }
        cpuMsPerOrder.forEach((k, ms) -> percentOfCore.put(k, percentOfCore(ms, seconds)));
        cpuMsPerOrder.replaceAll((k, ms) -> perOrder(ms, orders));
        gcPauseMs.replaceAll((k, v) -> round(v));
        double busy = busySeconds / seconds;
        boolean saturated = measured.stream().anyMatch(Results.Resources::saturated) || busy > saturatedBusyPercent;
        return resources(seconds, orders, cpuMsPerOrder, stackMs, generatorMs, percentOfCore, busy, saturated,
                gcPauseMs, restarted, ioStallKnown ? ioStallSeconds / seconds : Double.NaN);
    }

    /** One window's (or pooled windows') figures, the stack's and the whole box's CPU per order derived. */
    private static Results.Resources resources(double seconds, long orders, Map<String, Double> cpuMsPerOrder,
                                               double stackMs, double generatorMs, Map<String, Double> percentOfCore,
                                               double busy, boolean saturated, Map<String, Double> gcPauseMs,
                                               List<String> restarted, double ioStallPercent) {
        return new Results.Resources(round(seconds), orders, cpuMsPerOrder, perOrder(stackMs, orders),
                perOrder(stackMs + generatorMs, orders), percentOfCore, round(100 * stackMs / 1000 / seconds),
                round(busy), saturated, gcPauseMs, restarted, round(ioStallPercent));
    }

    private static double ticksToMs(long ticks) {
        return ticks * 1000.0 / ProcStat.TICKS_PER_SECOND;
    }

    private static double perOrder(double ms, long orders) {
        return orders <= 0 ? Double.NaN : round(ms / orders);
    }

    private static double percentOfCore(double ms, double seconds) {
        return seconds <= 0 ? Double.NaN : round(100 * ms / 1000 / seconds);
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
    }

    /** Collection time of this JVM's collectors, in ms (for the stop-the-world collectors it runs with, their pauses). */
    private static double ownGcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }
}

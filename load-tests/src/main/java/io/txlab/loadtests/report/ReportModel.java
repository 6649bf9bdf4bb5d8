package io.txlab.loadtests.report;

import io.txlab.loadtests.measure.ResourceMeter;
import io.txlab.loadtests.report.Document.Block;
import io.txlab.loadtests.report.Document.Bullets;
import io.txlab.loadtests.report.Document.Cell;
import io.txlab.loadtests.report.Document.Chart;
import io.txlab.loadtests.report.Document.Section;
import io.txlab.loadtests.report.Document.Table;
import io.txlab.loadtests.report.Document.Text;
import io.txlab.loadtests.report.Document.Tone;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.txlab.loadtests.report.Fmt.mark;
import static io.txlab.loadtests.report.Fmt.num;

/**
 * What the report says, written once: {@link Results.Comparison} in, {@link Document} out. Targets stand next to the
 * measured values with ✓/✗, a value not measured is "–" (never a pass), and a figure taken on a saturated machine says
 * so in every output. Recovery, audit and settings sections are in {@link ReportFaults}.
 */
public final class ReportModel {

    private ReportModel() {
    }

    public static Document of(Results.Comparison c) {
        List<Section> sections = new ArrayList<>();
        sections.add(new Section("run", "Run", false, List.of(new Text(String.format(Locale.ROOT,
                "%s run, generated %s in %.0f s on %s. Loopback only, one machine shared by the stack and the load generator: "
                        + "CPU per order is the figure that compares across machines; read latencies as ratios within this run.",
                c.mode(), c.generatedAt(), c.elapsedSeconds(), Fmt.machine(c.machine()))))));
        sections.add(summary(c));
        sections.add(cost(c));
        sections.add(latency(c));
        if (c.flows().stream().anyMatch(f -> f.throughput() != null)) {
            sections.add(throughput(c));
        }
        if (c.tracing() != null) {
            sections.add(tracing(c.tracing()));
        }
        if (c.network() != null) {
            sections.add(network(c.network(), c));
        }
        if (c.mechanismFloors() != null) {
            sections.add(ReportMechanismFloors.of(c.mechanismFloors(), c));
        }
        if (c.twopcTax() != null) {
            sections.add(ReportTwopcTax.of(c.twopcTax()));
        }
        if (c.deadlines() != null) {
            sections.add(ReportDeadlines.of(c.deadlines()));
        }
        if (c.anomalies() != null) {
            sections.add(ReportAnomalies.of(c.anomalies()));
        }
        sections.addAll(ReportFaults.sections(c));
        return new Document("txlab: five ways to place an order, measured side by side", sections);
    }

    /** Every lane, the floor first. */
    static List<Results.FlowResult> lanes(Results.Comparison c) {
        List<Results.FlowResult> lanes = new ArrayList<>();
        if (c.floor() != null) {
            lanes.add(c.floor());
        }
        lanes.addAll(c.flows());
        return lanes;
    }

    /** A run's I/O stall share, marked from 5 % (a fifth of that already shows in a p99 of a few hundred orders). */
    private static Cell ioStall(Results.Resources res) {
        if (res == null || Double.isNaN(res.ioStallPercent())) {
            return Cell.of("–");
        }
        boolean high = res.ioStallPercent() >= 5;
        return Cell.of((high ? "⚠ " : "") + num(res.ioStallPercent()) + " %", high ? Tone.WARN : Tone.PLAIN);
    }

    // ---------------------------------------------------------------- summary

    private static Section summary(Results.Comparison c) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text(String.format(Locale.ROOT, "CPU per order: every stack process and the load generator (the floor: its "
                        + "PostgreSQL cluster and the load generator only, ADR 31), over the lane's latency repetitions (the same orders as its percentiles) with the lane alone at %s orders/s. Latency: from each order's scheduled arrival to "
                        + "the response showing it final, each lane alone in %d repetitions at %s orders/s, the lanes' order rotated "
                        + "between repetitions; percentiles pool the repetitions' orders. Max sustained: the highest step of the flow alone with p99 ≤ %s ms "
                        + "and ≤ %s %% of its orders failed or unfinished. Targets (issue 14) in brackets; ⚠ marks a figure "
                        + "taken with the machine over %s %% busy.", num(c.settings().rate()), c.settings().repetitions(),
                num(c.settings().rate()), num(c.settings().sloP99Ms()), num(c.settings().errorBudgetPercent()),
                num(Targets.SATURATED_BUSY_PERCENT))));
        List<List<Cell>> rows = new ArrayList<>();
        for (Results.FlowResult f : lanes(c)) {
            Optional<Results.Target> t = Targets.of(f.flow());
            Results.Latency l = f.latency();
            Results.Resources cpu = f.cpu();
            Double max = f.throughput() == null ? null : f.throughput().maxSustainedRate();
            rows.add(List.of(Cell.of(laneName(f)), status(f.status()),
                    atMost(cpu == null ? Double.NaN : cpu.totalCpuMsPerOrder(), t.map(Results.Target::cpuMsPerOrder)),
                    atMost(l == null ? Double.NaN : l.pooled().p50(), t.map(Results.Target::p50Ms)),
                    atMost(l == null ? Double.NaN : l.pooled().p99(), t.map(Results.Target::p99Ms)),
                    Cell.of(l == null ? "–" : Long.toString(l.samples())),
                    atLeast(max, t.map(Results.Target::maxRate), f.throughput()),
                    Cell.of(f.vsFloor() == null ? "–" : Fmt.ratio(f.vsFloor().p50()) + " / " + Fmt.ratio(f.vsFloor().cpu())),
                    busy(l)));
        }
        blocks.add(new Table(List.of("lane", "status", "CPU ms/order (target)", "p50 ms (target)", "p99 ms (target)",
                "final orders", "max orders/s (target)", "× floor p50 / CPU", "machine busy (latency runs, max)"), rows));
        blocks.add(new Chart("CPU per order by component: see index.html", Svg.stackedBars(
                "CPU per order by component (ms), lane alone at " + num(c.settings().rate()) + " orders/s", "ms CPU per order",
                cpuCategories(c), cpuSeries(c))));
        List<String> cats = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        for (Results.FlowResult f : lanes(c)) {
            if (f.latency() != null) {
                cats.add(f.flow());
                Results.Percentiles p = f.latency().pooled();
                vals.add(new double[] {p.p50(), p.p95(), p.p99(), p.p999()});
            }
        }
        if (!cats.isEmpty()) {
            String[] names = {"p50", "p95", "p99", "p99.9"};
            List<Svg.Series> series = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                double[] v = new double[cats.size()];
                for (int j = 0; j < cats.size(); j++) {
                    v[j] = vals.get(j)[i];
                }
                series.add(new Svg.Series(names[i], v));
            }
            blocks.add(new Chart("latency percentiles: see index.html", Svg.groupedBarsLog("Latency percentiles, each lane alone at "
                    + num(c.settings().rate()) + " orders/s (log scale)", "ms", cats, series)));
        }
        return new Section("summary", "Cost, latency and capacity against the targets", true, blocks);
    }

    private static Cell busy(Results.Latency l) {
        if (l == null || Double.isNaN(l.machineBusyPercent())) {
            return Cell.of("–");
        }
        return l.saturated() ? Cell.of("⚠ " + num(l.machineBusyPercent()) + " % (saturated)", Tone.WARN)
                : Cell.of(num(l.machineBusyPercent()) + " %");
    }

    static String laneName(Results.FlowResult f) {
        return f.flow().equals("floor") ? "floor (1 local PG tx)" : f.flow();
    }

    static Cell status(String status) {
        return Cell.of(status, switch (status == null ? "" : status) {
            case "MEASURED", "PASS", "CLEAN" -> Tone.GOOD;
            case "MISSING", "FAILED", "FAIL", "VIOLATIONS" -> Tone.BAD;
            case "SKIPPED" -> Tone.MUTED;
            default -> Tone.PLAIN;
        });
    }

    static Cell atMost(double v, Optional<Double> target) {
        if (Double.isNaN(v)) {
            return Cell.of("–" + target.map(t -> " (≤ " + num(t) + ")").orElse(""));
        }
        return target.map(t -> Cell.of(mark(v <= t) + " " + num(v) + " (≤ " + num(t) + ")", v <= t ? Tone.GOOD : Tone.BAD))
                .orElse(Cell.of(num(v)));
    }

    private static Cell atLeast(Double v, Optional<Double> target, Results.Throughput tp) {
        if (v == null) {
            String why = tp == null ? "–" : "✗ none (" + tp.stopReason() + ")";
            return Cell.of(why + target.map(t -> " (≥ " + num(t) + ")").orElse(""), tp == null ? Tone.PLAIN : Tone.BAD);
        }
        String value = num(v) + (tp.lowestFailedRate() == null ? "+" : "");
        return target.map(t -> Cell.of(mark(v >= t) + " " + value + " (≥ " + num(t) + ")", v >= t ? Tone.GOOD : Tone.BAD))
                .orElse(Cell.of(value));
    }

    // ---------------------------------------------------------------- cost

    /** Components that cost at least 0.05 ms per order in some lane, in a fixed order (load generator last). */
    private static List<String> components(Results.Comparison c) {
        Set<String> names = new LinkedHashSet<>();
        for (Results.FlowResult f : lanes(c)) {
            if (f.cpu() != null) {
                f.cpu().cpuMsPerOrder().forEach((k, v) -> {
                    if (!Double.isNaN(v) && v >= 0.05 && !k.equals(ResourceMeter.LOAD_GENERATOR)) {
                        names.add(k);
                    }
                });
            }
        }
        List<String> sorted = new ArrayList<>(names.stream().sorted().toList());
        sorted.add(ResourceMeter.LOAD_GENERATOR);
        return sorted;
    }

    private static List<String> cpuCategories(Results.Comparison c) {
        return lanes(c).stream().filter(f -> f.cpu() != null).map(Results.FlowResult::flow).toList();
    }

    private static List<Svg.Series> cpuSeries(Results.Comparison c) {
        List<Results.FlowResult> measured = lanes(c).stream().filter(f -> f.cpu() != null).toList();
        List<Svg.Series> series = new ArrayList<>();
        for (String component : components(c)) {
            double[] v = measured.stream().mapToDouble(f -> f.cpu().cpuMsPerOrder().getOrDefault(component, 0.0)).toArray();
            series.add(new Svg.Series(component, v));
        }
        return series;
    }

    private static Section cost(Results.Comparison c) {
        List<Block> blocks = new ArrayList<>();
        List<String> components = components(c);
        List<String> header = new ArrayList<>(List.of("lane", "total", "stack"));
        header.addAll(components);
        List<List<Cell>> rows = new ArrayList<>();
        for (Results.FlowResult f : lanes(c)) {
            Results.Resources r = f.cpu();
            if (r == null) {
                continue;
            }
            List<Cell> row = new ArrayList<>(List.of(Cell.of(f.flow()), Cell.of(num(r.totalCpuMsPerOrder())),
                    Cell.of(num(r.stackCpuMsPerOrder()))));
            components.forEach(k -> row.add(Cell.of(num(r.cpuMsPerOrder().getOrDefault(k, Double.NaN)))));
            rows.add(row);
        }
        blocks.add(new Text("CPU milliseconds per order, per component (each its whole process tree: a PostgreSQL cluster with its "
                + "backends, a JVM with its threads); components below 0.05 ms in every lane are left out, but counted in the totals."));
        blocks.add(new Table(header, rows));

        List<List<Cell>> warm = new ArrayList<>();
        for (Results.FlowResult f : lanes(c)) {
            Results.SteadyState s = f.steady();
            if (s == null) {
                continue;
            }
            Results.Resources last = s.cpu();
            warm.add(List.of(Cell.of(f.flow()), Cell.of(s.reached() ? "✓ steady" : "✗ cap reached", s.reached() ? Tone.GOOD : Tone.BAD),
                    Cell.of(num(s.secondsToSteady()) + " s"),
                    Cell.of(String.join(" → ", s.windows().stream().map(w -> num(w.totalCpuMsPerOrder())).toList())),
                    Cell.of(last == null ? "–" : Long.toString(last.orders())),
                    Cell.of(last == null ? "–" : gc(last)),
                    Cell.of(last == null ? "–" : num(last.machineBusyPercent()) + " %")));
        }
        blocks.add(new Text(String.format(Locale.ROOT, "Each lane ran alone at %s orders/s in windows of %s s until its CPU per order "
                        + "changed by less than %s %% between two windows (at most %s s), before its latency repetitions were measured.",
                num(c.settings().rate()), num(c.settings().windowSeconds()), num(c.settings().steadyTolerance() * 100),
                num(c.settings().maxWarmupSeconds()))));
        blocks.add(new Table(List.of("lane", "warm-up", "took", "CPU ms/order per window", "orders in last window",
                "GC pauses in last window (ms)", "machine busy"), warm));

        Results.SteadyState windows = c.idle();
        Results.Resources idle = windows == null ? null : windows.cpu();
        if (idle != null) {
            boolean ok = idle.stackPercentOfCore() <= Targets.IDLE_PERCENT_OF_CORE;
            blocks.add(new Text(String.format(Locale.ROOT, "The stack with no load, after the warm-up, in windows of %s s until its share of "
                            + "a core changed by less than %s %% (or %s point) between two windows, at most %s s: %s, %s. The last "
                            + "window is the figure: %s %.1f %% of one core in total (target ≤ %s %%).",
                    num(windows.windowSeconds()), num(windows.tolerance() * 100), num(Targets.IDLE_STEADY_POINTS),
                    num(c.settings().maxWarmupSeconds()),
                    String.join(" → ", windows.windows().stream().map(w -> num(w.stackPercentOfCore()) + " %").toList()),
                    windows.reached() ? "✓ steady" : "✗ cap reached", mark(ok),
                    idle.stackPercentOfCore(), num(Targets.IDLE_PERCENT_OF_CORE))));
            List<List<Cell>> idleRows = new ArrayList<>();
            idle.percentOfCore().entrySet().stream().filter(e -> !e.getKey().equals(ResourceMeter.LOAD_GENERATOR))
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(e -> idleRows.add(List.of(Cell.of(e.getKey()), Cell.of(num(e.getValue()) + " %"))));
            blocks.add(new Table(List.of("component", "idle, share of one core (last window)"), idleRows));
            blocks.add(new Text(String.format(Locale.ROOT, "At the lanes' %s orders/s, what the idle stack burns is %s ms of every "
                            + "flow's CPU per order (the floor counts only its own cluster, ADR 31): a flow's own work per order is "
                            + "about its stack figure less that (ADR 43).",
                    num(c.settings().rate()), num(idleShareMsPerOrder(idle.stackPercentOfCore(), c.settings().rate())))));
        }
        return new Section("cost", "CPU per order", false, blocks);
    }

    /** An idle stack's share of a core, spread over the orders of a lane at {@code rate} orders/s: CPU ms per order. */
    static double idleShareMsPerOrder(double idlePercentOfCore, double rate) {
        return idlePercentOfCore * 10.0 / rate;
    }

    private static String gc(Results.Resources r) {
        return r.gcPauseMs().entrySet().stream().filter(e -> e.getValue() >= 0.5)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(3)
                .map(e -> e.getKey() + " " + num(e.getValue())).reduce((a, b) -> a + ", " + b).orElse("none ≥ 0.5");
    }

    // ---------------------------------------------------------------- latency

    private static Section latency(Results.Comparison c) {
        List<Block> blocks = new ArrayList<>();
        List<List<Cell>> rows = new ArrayList<>();
        for (Results.FlowResult f : lanes(c)) {
            Results.Latency l = f.latency();
            if (l == null) {
                rows.add(List.of(Cell.of(laneName(f)), status(f.status()), Cell.of("–"), Cell.of("–"), Cell.of("–"), Cell.of("–"),
                        Cell.of("–"), Cell.of("–"), Cell.of("–"), Cell.of("–"), Cell.of("–"), Cell.of(f.detail())));
                continue;
            }
            Results.Percentiles p = l.pooled();
            rows.add(List.of(Cell.of(laneName(f)), status(f.status()), Cell.of(num(p.p50())), Cell.of(num(l.serverP50Ms())),
                    Cell.of(num(p.p95())),
                    Cell.of(num(p.p99())), Cell.of(num(p.p999())), Cell.of(Long.toString(l.samples())),
                    Cell.of(l.unfinished() + " / " + l.errors(), l.unfinished() + l.errors() > 0 ? Tone.BAD : Tone.PLAIN),
                    Cell.of(Fmt.pct(l.cv().p50()) + " / " + Fmt.pct(l.cv().p99())),
                    Cell.of((l.saturated() ? "⚠ saturated; " : "") + (l.note() == null ? "" : l.note()), l.saturated() ? Tone.WARN : Tone.PLAIN)));
        }
        blocks.add(new Text("Pooled over the repetitions; server p50 = the median of the server's own created → completed "
                + "time for the same orders, a cross-check of the client's timing (which adds the HTTP call and the waiting answer's "
                + "wake-up; a single-transaction order is created and completed in one statement, so its server time is ~0). "
                + "CV = coefficient of variation of each repetition's "
                + "percentile (above ~25 % the machine was too noisy for the figure to mean much). Unfinished and failed orders are "
                + "counted, not timed."));
        blocks.add(new Table(List.of("lane", "status", "p50 ms", "server p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "final orders",
                "unfinished / failed", "CV p50 / p99", "note"), rows));

        List<List<Cell>> runs = new ArrayList<>();
        for (int i = 0; i < c.latency().size(); i++) {
            Results.RunStats r = c.latency().get(i);
            Results.Resources res = r.resources();
            runs.add(List.of(Cell.of(Integer.toString(i + 1)), Cell.of(r.runId()), Cell.of(num(r.rate()) + "/s"),
                    Cell.of(Long.toString(r.orders())), Cell.of(res == null ? "–" : num(res.totalCpuMsPerOrder())),
                    Cell.of(res == null ? "–" : (res.saturated() ? "⚠ " : "") + num(res.machineBusyPercent()) + " %",
                            res != null && res.saturated() ? Tone.WARN : Tone.PLAIN),
                    ioStall(res), Cell.of(num(r.generatorLagP99Ms())), link(r.gatlingReport())));
        }
        blocks.add(new Text("Every latency run in the order it ran, with its own cost and machine load. I/O stall: the share of the "
                + "run in which every runnable task of the machine waited for I/O (/proc/pressure/io); a p99 far above the other "
                + "runs' at moderate CPU busy, in a run with a high I/O stall, measured the disk, not the flow."));
        blocks.add(new Table(List.of("#", "run", "rate", "orders", "CPU ms/order", "machine busy", "I/O stall",
                "load generator lag p99 ms", "Gatling"), runs));

        List<List<Cell>> reps = new ArrayList<>();
        for (Results.FlowResult f : lanes(c)) {
            if (f.latency() == null) {
                continue;
            }
            for (Results.RunStats r : f.latency().repetitions()) {
                reps.add(List.of(Cell.of(f.flow()), Cell.of(r.runId()), Cell.of(Long.toString(r.orders())),
                        Cell.of(r.confirmed() + " / " + r.cancelled()), Cell.of(r.unfinished() + " / " + r.errors()),
                        Cell.of(num(r.latencyMs().p50())), Cell.of(num(r.latencyMs().p99())), Cell.link("samples", r.samplesFile())));
            }
        }
        blocks.add(new Table(List.of("lane", "run", "orders", "confirmed / cancelled", "unfinished / failed", "p50 ms",
                "p99 ms (of this run alone)", "orders"), reps));
        return new Section("latency", "Latency", false, blocks);
    }

    // ---------------------------------------------------------------- throughput

    private static Section throughput(Results.Comparison c) {
        List<Block> blocks = new ArrayList<>();
        List<List<Cell>> rows = new ArrayList<>();
        List<String> cats = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        List<Double> target = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            Results.Throughput tp = f.throughput();
            if (tp == null) {
                continue;
            }
            Optional<Results.Target> t = Targets.of(f.flow());
            rows.add(List.of(Cell.of(f.flow()), atLeast(tp.maxSustainedRate(), t.map(Results.Target::maxRate), tp),
                    Cell.of(tp.stopReason()), Cell.of(tp.cpuAtMax() == null ? "–" : num(tp.cpuAtMax().totalCpuMsPerOrder())),
                    Cell.of(num(tp.estimateRate()) + "/s")));
            cats.add(f.flow());
            measured.add(tp.maxSustainedRate() == null ? Double.NaN : tp.maxSustainedRate());
            target.add(t.map(Results.Target::maxRate).orElse(Double.NaN));
        }
        Results.Settings s = c.settings();
        blocks.add(new Text(String.format(Locale.ROOT, "Each flow alone, in steps of %s s after a %s s ramp (discarded), at most %d steps: "
                        + "the first at the rate its CPU per order predicts the machine carries at 60 %% busy, then doubling while steps "
                        + "pass, halving while they fail, and bisecting once a passing and a failing rate bracket the knee.",
                num(s.stepSeconds()), num(s.rampSeconds()), s.maxSteps())));
        blocks.add(new Table(List.of("flow", "max sustained orders/s (target)", "search", "CPU ms/order at max", "first step"), rows));
        blocks.add(new Chart("max sustained orders/s: see index.html", Svg.groupedBarsLog("Max sustained orders/s (p99 ≤ "
                + num(s.sloP99Ms()) + " ms) vs target", "orders/s", cats,
                List.of(new Svg.Series("measured", measured.stream().mapToDouble(Double::doubleValue).toArray()),
                        new Svg.Series("target", target.stream().mapToDouble(Double::doubleValue).toArray())))));
        List<List<Cell>> steps = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            if (f.throughput() == null) {
                continue;
            }
            for (Results.Step st : f.throughput().steps()) {
                Results.RunStats r = st.stats();
                Results.Resources res = r.resources();
                steps.add(List.of(Cell.of(f.flow()), Cell.of(num(st.rate())), Cell.of(num(r.finalPerSecond())),
                        Cell.of(num(r.latencyMs().p50())), Cell.of(num(r.latencyMs().p99())), Cell.of(Long.toString(r.finalOrders())),
                        Cell.of(r.unfinished() + " / " + r.errors()), Cell.of(res == null ? "–" : num(res.totalCpuMsPerOrder())),
                        Cell.of(res == null ? "–" : num(res.machineBusyPercent()) + " %"),
                        Cell.of(mark(st.passed()) + " " + st.reason(), st.passed() ? Tone.GOOD : Tone.BAD)));
            }
        }
        blocks.add(new Table(List.of("flow", "offered /s", "final /s", "p50 ms", "p99 ms", "final orders", "unfinished / failed",
                "CPU ms/order", "machine busy", "verdict"), steps));
        return new Section("throughput", "Maximum sustained throughput", false, blocks);
    }

    // ---------------------------------------------------------------- tracing

    private static Section tracing(Results.TracingCost t) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text(String.format(Locale.ROOT, "The same orders (every flow in turn, %s orders/s in total, %s s per run), once with "
                        + "every trace sampled and exported to Zipkin and once with none. CPU per order with tracing: %s ms, without: %s ms (%s).",
                num(t.rate()), num(t.seconds()), t.on().resources() == null ? "–" : num(t.on().resources().totalCpuMsPerOrder()),
                t.off().resources() == null ? "–" : num(t.off().resources().totalCpuMsPerOrder()),
                t.cpuOverheadPercent() == null ? "–" : String.format(Locale.ROOT, "%+.0f %%", t.cpuOverheadPercent()))));
        List<List<Cell>> rows = new ArrayList<>();
        List<Cell> links = new ArrayList<>();
        for (Results.TracingFlow f : t.flows()) {
            rows.add(List.of(Cell.of(f.flow()), Cell.of(num(f.onMs().p50()) + " / " + num(f.offMs().p50())),
                    Cell.of(f.p50OverheadPercent() == null ? "–" : String.format(Locale.ROOT, "%+.1f %%", f.p50OverheadPercent())),
                    Cell.of(num(f.onMs().p99()) + " / " + num(f.offMs().p99())), Cell.of(f.onSamples() + " / " + f.offSamples())));
            for (Results.TraceLink l : f.slowest()) {
                links.add(new Cell(f.flow() + " order " + l.orderId() + ", " + num(l.latencyMs()) + " ms, " + l.spans() + " spans"
                        + (l.file() == null ? " (trace not saved)" : ""), l.file(), Tone.PLAIN));
            }
        }
        blocks.add(new Table(List.of("flow", "p50 ms on / off", "p50 change", "p99 ms on / off (few orders)", "final orders on / off"), rows));
        if (!links.isEmpty()) {
            blocks.add(new Text("The slowest traced orders, their traces saved as Zipkin JSON (load them in any Zipkin UI):"));
            blocks.add(new Bullets(links));
        }
        return new Section("tracing", "Tracing's cost", true, blocks);
    }

    /** Issue 17, part 1: latency against the round trip added to every link, per flow. */
    private static Section network(Results.NetworkDistance n, Results.Comparison c) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text(String.format(Locale.ROOT, "The services behind the link proxy (ADR 21, ADR 32), every link (each "
                        + "service's connections to its databases, to the broker, to Temporal and to another service) given an "
                        + "added round trip, half each way; each flow alone at %s orders/s for %s s at each. Not delayed: %s "
                        + "Expected from the mechanisms: 2PC pays at least two round trips (prepare, commit) per participant and "
                        + "holds its locks across them, a saga one hop per step, the single transaction one round trip per "
                        + "statement. The last column is the slope of p50 against the added round trip: how many round trips "
                        + "each order waits for in sequence, every database statement and broker request included.%s",
                num(n.rate()), num(n.seconds()), n.unproxied(), n.inFlight() > 0 ? " What each flow completes per second "
                        + "at each distance is in the second table." : " What each flow completes per second at each "
                        + "distance was not measured in this run (--rtt-in-flight 0).")));
        if (n.error() != null) {
            blocks.add(new Text("The sweep did not finish: " + n.error()));
        }
        List<String> flows = c.flows().stream().map(Results.FlowResult::flow).filter(f -> !n.of(f).isEmpty()).toList();
        List<String> header = new ArrayList<>(List.of("flow"));
        n.rttMs().forEach(r -> header.add("+" + r + " ms: p50 / p99 ms"));
        header.addAll(List.of("unfinished / failed", "round trips per order (p50 slope)"));
        List<List<Cell>> rows = new ArrayList<>();
        for (String flow : flows) {
            List<Cell> row = new ArrayList<>(List.of(Cell.of(flow)));
            long unfinished = 0;
            long failed = 0;
            for (int rtt : n.rttMs()) {
                Optional<Results.RttRun> run = n.of(flow).stream().filter(r -> r.rttMs() == rtt).findFirst();
                row.add(Cell.of(run.map(r -> num(r.stats().latencyMs().p50()) + " / " + num(r.stats().latencyMs().p99()))
                        .orElse("–")));
                unfinished += run.map(r -> r.stats().unfinished()).orElse(0L);
                failed += run.map(r -> r.stats().errors()).orElse(0L);
            }
            row.add(Cell.of(unfinished + " / " + failed, unfinished + failed > 0 ? Tone.WARN : Tone.PLAIN));
            Double trips = n.roundTrips(flow);
            row.add(Cell.of(trips == null ? "–" : String.format(Locale.ROOT, "%.1f", trips)));
            rows.add(row);
        }
        blocks.add(new Table(header, rows));
        if (!flows.isEmpty()) {
            for (String which : List.of("p50", "p99")) {
                List<Svg.Series> series = new ArrayList<>();
                for (int rtt : n.rttMs()) {
                    double[] v = new double[flows.size()];
                    for (int i = 0; i < flows.size(); i++) {
                        Results.Percentiles p = n.of(flows.get(i)).stream().filter(r -> r.rttMs() == rtt).findFirst()
                                .map(r -> r.stats().latencyMs()).orElse(null);
                        v[i] = p == null ? Double.NaN : which.equals("p50") ? p.p50() : p.p99();
                    }
                    series.add(new Svg.Series("+" + rtt + " ms round trip", v));
                }
                blocks.add(new Chart(which + " latency against the added round trip: see index.html", Svg.groupedBarsLog(
                        which + " latency against the round trip added to every link (ms, log scale)", "ms " + which,
                        flows, series)));
            }
        }
        if (n.inFlight() > 0 && !flows.isEmpty()) {
            blocks.addAll(networkCapacity(n, flows));
        }
        return new Section("network", "Network distance", true, blocks);
    }

    /** The sweep's in-flight runs: what each flow completes per second at each distance, never idle (ADR 52). */
    private static List<Block> networkCapacity(Results.NetworkDistance n, List<String> flows) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text(String.format(Locale.ROOT, "What each flow completes per second at each distance with %d of its "
                + "orders in flight at once (a closed loop: each virtual user places its next order when its last one is "
                + "final), counting the orders placed in %s s after a discarded start, with their p50 and p99 beside it, "
                + "and the mean time an order took: %d ÷ the rate (Little's law). That mean counts what the percentiles "
                + "miss when a share of the orders outlasts the window: a virtual user held by a slow order places none "
                + "in it. Where that mean is at least %s× the low-rate run's above, the orders queued for something they "
                + "share (cores, connections, a partition's consumer, a lock, a worker's pollers), so the figure is the "
                + "flow's capacity at that distance. Marked ≥ where they did not: more orders in flight would have "
                + "completed more. No p99 bound applies here, unlike the maximum sustained rate: the figure is what "
                + "completes, whatever each order waits.", n.inFlight(), num(n.inFlightSeconds()), n.inFlight(),
                num(Results.RttRun.QUEUED_FACTOR))));
        List<String> header = new ArrayList<>(List.of("flow"));
        n.rttMs().forEach(r -> header.add("+" + r + " ms: orders/s (p50 / p99 / mean ms)"));
        header.add("unfinished / failed");
        List<List<Cell>> rows = new ArrayList<>();
        List<Svg.Series> series = new ArrayList<>();
        double[][] rates = new double[n.rttMs().size()][flows.size()];
        for (int i = 0; i < flows.size(); i++) {
            List<Cell> row = new ArrayList<>(List.of(Cell.of(flows.get(i))));
            long bad = 0;
            long unfinished = 0;
            for (int j = 0; j < n.rttMs().size(); j++) {
                int rtt = n.rttMs().get(j);
                Optional<Results.RttRun> run = n.of(flows.get(i)).stream().filter(r -> r.rttMs() == rtt && r.inFlight() != null)
                        .findFirst();
                rates[j][i] = run.map(r -> r.inFlight().finalPerSecond()).orElse(Double.NaN);
                row.add(Cell.of(run.map(r -> (Boolean.FALSE.equals(r.queued(n.inFlight())) ? "≥ " : "")
                        + num(r.inFlight().finalPerSecond()) + " (" + num(r.inFlight().latencyMs().p50()) + " / "
                        + num(r.inFlight().latencyMs().p99()) + " / " + num(r.cycleMs(n.inFlight())) + ")")
                        .orElse("–")));
                unfinished += run.map(r -> r.inFlight().unfinished()).orElse(0L);
                bad += run.map(r -> r.inFlight().errors()).orElse(0L);
            }
            row.add(Cell.of(unfinished + " / " + bad, unfinished + bad > 0 ? Tone.WARN : Tone.PLAIN));
            rows.add(row);
        }
        for (int j = 0; j < n.rttMs().size(); j++) {
            series.add(new Svg.Series("+" + n.rttMs().get(j) + " ms round trip", rates[j]));
        }
        blocks.add(new Table(header, rows));
        blocks.add(new Chart("Orders completed per second against the added round trip: see index.html", Svg.groupedBarsLog(
                "orders/s completed with " + n.inFlight() + " in flight against the round trip added to every link (log scale)",
                "orders/s", flows, series)));
        return blocks;
    }

    static Cell link(String target) {
        if (target == null || target.isBlank()) {
            return Cell.of("");
        }
        return Cell.link("report", target.endsWith(".html") ? target : target + "/index.html");
    }
}

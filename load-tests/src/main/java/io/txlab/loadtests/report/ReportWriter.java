package io.txlab.loadtests.report;

import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Writes {@code results.json}, {@code summary.md} and a self-contained {@code index.html} (inline CSS and SVG,
 * nothing fetched) from one {@link Results.Comparison}. Every target is shown next to the measured value; a value
 * that was not measured is shown as "–", never as a pass.
 */
public final class ReportWriter {

    public static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // NaN (a percentile of zero finished orders) is not a JSON number; write it as the string "NaN"
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private ReportWriter() {
    }

    public static void write(Results.Comparison c, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.json"), JSON.writeValueAsString(c), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("summary.md"), markdown(c), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("index.html"), html(c, dir), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report to " + dir, e);
        }
    }

    // ---------------------------------------------------------------- tables shared by markdown, html, console

    static List<String> performanceHeader() {
        return List.of("flow", "status", "p50 ms (target)", "p95 ms", "p99 ms (target)", "p99.9 ms", "CV p50 / p99",
                "× floor p50 / p99", "max orders/s (target)");
    }

    static List<List<String>> performanceRows(Results.Comparison c) {
        List<List<String>> rows = new ArrayList<>();
        if (c.floor() != null && c.floor().latency() != null) {
            Results.Percentiles m = c.floor().latency().median();
            Results.Percentiles cv = c.floor().latency().coefficientOfVariation();
            rows.add(List.of("floor (1 local PG tx)", c.floor().status(), Svg.num(m.p50()), Svg.num(m.p95()), Svg.num(m.p99()),
                    Svg.num(m.p999()), pct(cv.p50()) + " / " + pct(cv.p99()), "1 / 1", "–"));
        } else if (c.floor() != null) {
            rows.add(List.of("floor (1 local PG tx)", c.floor().status(), "–", "–", "–", "–", "–", "–", "–"));
        }
        for (Results.FlowResult f : c.flows()) {
            Optional<Results.Target> t = Targets.of(f.flow());
            if (f.latency() == null) {
                rows.add(List.of(f.flow(), f.status(), "–" + t.map(x -> " (≤ " + Svg.num(x.p50Ms()) + ")").orElse(""), "–",
                        "–" + t.map(x -> " (≤ " + Svg.num(x.p99Ms()) + ")").orElse(""), "–", "–", "–",
                        "–" + t.map(x -> " (≥ " + Svg.num(x.maxRate()) + ")").orElse("")));
                continue;
            }
            Results.Percentiles m = f.latency().median();
            Results.Percentiles cv = f.latency().coefficientOfVariation();
            Double max = f.throughput() == null ? null : f.throughput().maxSustainedRate();
            rows.add(List.of(f.flow(), f.status(),
                    vsMax(m.p50(), t.map(Results.Target::p50Ms)),
                    Svg.num(m.p95()),
                    vsMax(m.p99(), t.map(Results.Target::p99Ms)),
                    Svg.num(m.p999()),
                    pct(cv.p50()) + " / " + pct(cv.p99()),
                    f.overheadVsFloor() == null ? "–" : ratio(f.overheadVsFloor().p50()) + " / " + ratio(f.overheadVsFloor().p99()),
                    vsMin(max, t.map(Results.Target::maxRate), f.throughput())));
        }
        return rows;
    }

    static List<String> recoveryHeader() {
        return List.of("flow", "backend", "fault", "in flight at fault", "all final after restart (≤ 30 s)",
                "p99 < SLO again after fault", "not final at deadline", "audit violations");
    }

    static List<List<String>> recoveryRows(Results.Comparison c) {
        List<List<String>> rows = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            if (f.chaos() == null && f.crash() == null) {
                rows.add(List.of(f.flow(), nz(f.backend()), "–", "–", "–", "–", "–", auditCell(f)));
                continue;
            }
            for (Results.Chaos ch : java.util.stream.Stream.of(f.chaos(), f.crash()).filter(x -> x != null).toList()) {
                String fault = fault(ch);
                String audit = ch.audit() != null ? auditCell(f.flow(), ch.audit()) : auditCell(f);
                if (ch.killAtSeconds() == null) {
                    rows.add(List.of(f.flow(), nz(f.backend()), fault, "–", "not measured: " + nz(ch.error()), "–", "–", audit));
                    continue;
                }
                String allFinal = ch.allFinalAfterRestartSeconds() == null ? "✗ not all final"
                        : mark(ch.allFinalAfterRestartSeconds() <= Targets.RECOVERY_SECONDS) + " " + Svg.num(ch.allFinalAfterRestartSeconds()) + " s";
                rows.add(List.of(f.flow(), nz(f.backend()), fault, Long.toString(ch.ordersInFlightAtKill()), allFinal,
                        ch.p99BackUnderSloAfterKillSeconds() != null ? Svg.num(ch.p99BackUnderSloAfterKillSeconds()) + " s"
                                : ch.restartHealthyAtSeconds() == null ? "never (no restart)"
                                : "not within the run (load went on " + Svg.num(Math.max(0, ch.durationSeconds() - ch.restartHealthyAtSeconds()))
                                + " s past the restart)",
                        Long.toString(ch.notFinalAtDeadline()), audit));
            }
        }
        return rows;
    }

    static String fault(Results.Chaos ch) {
        if (ch.mode().equals("crash-point")) {
            return ch.crashPoint() == null ? "crash point: none" : "crash point " + ch.crashPoint() + " in " + ch.component();
        }
        return "SIGKILL " + ch.component() + (ch.mode().equals("shared") ? " (shared run, all flows)" : "");
    }

    static List<String> tracingHeader() {
        return List.of("flow", "traced / untraced orders", "p50 ms traced / untraced", "p50 overhead (≤ 5 %)",
                "p99 ms traced / untraced", "slowest traced orders (ms, spans)");
    }

    static List<List<String>> tracingRows(Results.Comparison c) {
        List<List<String>> rows = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            Results.Tracing t = f.tracing();
            if (t == null) {
                continue;
            }
            String overhead = t.overheadP50Percent() == null ? "–"
                    : mark(t.overheadP50Percent() <= Targets.TRACING_OVERHEAD_PERCENT) + " "
                    + String.format(Locale.ROOT, "%+.1f %%", t.overheadP50Percent());
            rows.add(List.of(f.flow(), t.tracedOrders() + " / " + t.untracedOrders(),
                    Svg.num(t.tracedMs().p50()) + " / " + Svg.num(t.untracedMs().p50()), overhead,
                    Svg.num(t.tracedMs().p99()) + " / " + Svg.num(t.untracedMs().p99()),
                    String.join(", ", t.slowest().stream().map(l -> Svg.num(l.latencyMs()) + " (" + l.spans() + ")").toList())));
        }
        return rows;
    }

    private static String auditCell(Results.FlowResult f) {
        return f.audit() == null ? "–" : auditCell(f.flow(), f.audit());
    }

    /**
     * The violations an audit attributes to the flow: its own checks, plus the checks that cannot tell flows apart
     * ("*" prepared transactions, "services" ledgers shared by the four service flows) when they failed.
     */
    private static String auditCell(String flow, Results.Audit audit) {
        long own = audit.violationsByFlow().entrySet().stream()
                .filter(e -> e.getKey().equals(flow) || e.getKey().equals("*")
                        || (e.getKey().equals("services") && !flow.equals("cockroach")))
                .mapToLong(Map.Entry::getValue).sum();
        boolean mustBeZero = Targets.ZERO_VIOLATION_FLOWS.contains(flow);
        return (mustBeZero ? mark(own == 0) + " " : "") + own;
    }

    /** Every audit of the run once: per flow, per chaos run (a shared run's audit once), the final one. */
    private static List<Results.Audit> audits(Results.Comparison c) {
        java.util.Set<Results.Audit> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Results.Audit> audits = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            for (Results.Audit a : java.util.Arrays.asList(f.chaos() == null ? null : f.chaos().audit(),
                    f.crash() == null ? null : f.crash().audit(), f.audit())) {
                if (a != null && seen.add(a)) {
                    audits.add(a);
                }
            }
        }
        if (c.finalAudit() != null) {
            audits.add(c.finalAudit());
        }
        return audits;
    }

    private static String vsMax(double v, Optional<Double> target) {
        if (Double.isNaN(v)) {
            return "–" + target.map(t -> " (≤ " + Svg.num(t) + ")").orElse("");
        }
        return target.map(t -> mark(v <= t) + " " + Svg.num(v) + " (≤ " + Svg.num(t) + ")").orElse(Svg.num(v));
    }

    private static String vsMin(Double v, Optional<Double> target, Results.Throughput tp) {
        if (v == null) {
            String why = tp == null ? "–" : "✗ none (" + nz(tp.stopReason()) + ")";
            return why + target.map(t -> " (≥ " + Svg.num(t) + ")").orElse("");
        }
        boolean capped = tp != null && tp.stopReason() != null && tp.stopReason().startsWith("highest step");
        String value = Svg.num(v) + (capped ? "+" : "");
        return target.map(t -> mark(v >= t) + " " + value + " (≥ " + Svg.num(t) + ")").orElse(value);
    }

    static String mark(boolean ok) {
        return ok ? "✓" : "✗";
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    private static String ratio(Double v) {
        return v == null || Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String nz(String s) {
        return s == null || s.isBlank() ? "–" : s;
    }

    // ---------------------------------------------------------------- console and markdown

    public static String consoleTable(Results.Comparison c) {
        List<List<String>> tracing = tracingRows(c);
        return text(performanceHeader(), performanceRows(c)) + System.lineSeparator()
                + text(recoveryHeader(), recoveryRows(c))
                + (tracing.isEmpty() ? "" : System.lineSeparator() + text(tracingHeader(), tracing));
    }

    private static String text(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, w);
        StringBuilder rule = new StringBuilder();
        for (int x : w) {
            rule.append("-".repeat(x)).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append(System.lineSeparator());
        rows.forEach(r -> appendRow(sb, r, w));
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i)).append(" ".repeat(w[i] - cells.get(i).length() + 2));
        }
        sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }

    static String markdown(Results.Comparison c) {
        StringBuilder md = new StringBuilder();
        md.append("# txlab comparison (").append(c.mode()).append(")\n\n");
        md.append("Generated ").append(c.generatedAt()).append(" in ").append(String.format(Locale.ROOT, "%.0f", c.elapsedSeconds()))
                .append(" s on ").append(machine(c.machine())).append(".\n\n");
        md.append("## Latency (median of ").append(c.settings().repetitions()).append(" repetitions at ")
                .append(Svg.num(c.settings().latencyRate())).append(" orders/s, POST to final state) and max sustained throughput\n\n");
        md.append(mdTable(performanceHeader(), performanceRows(c)));
        md.append("\nMax sustained = highest step rate with p99 ≤ ").append(Svg.num(c.settings().sloP99Ms()))
                .append(" ms and ≤ ").append(Svg.num(c.settings().errorBudgetPercent())).append(" % failed or unfinished orders; \"+\" = the highest step tried still passed.\n\n");
        md.append("## Recovery after a kill -9").append(c.settings().crashPoints() ? " and after crash points" : "").append(" at ")
                .append(Svg.num(c.settings().chaosRate())).append(" orders/s, and audit\n\n");
        md.append(mdTable(recoveryHeader(), recoveryRows(c)));
        List<List<String>> tracing = tracingRows(c);
        if (!tracing.isEmpty()) {
            md.append("\n## Tracing overhead (traced vs untraced orders of the same latency runs) and the slowest traces\n\n");
            md.append(mdTable(tracingHeader(), tracing));
            for (Results.FlowResult f : c.flows()) {
                if (f.tracing() != null) {
                    for (Results.TraceLink l : f.tracing().slowest()) {
                        md.append("- ").append(f.flow()).append(" order ").append(l.orderId()).append(", ").append(Svg.num(l.latencyMs()))
                                .append(" ms: ").append(l.file() != null ? "[trace JSON](" + l.file() + ")" : "trace not saved")
                                .append(l.zipkinUrl() != null ? ", [Zipkin](" + l.zipkinUrl() + ") (while that stack runs)" : "").append("\n");
                    }
                }
            }
        }
        md.append("\n## Audit findings\n\n");
        List<Results.Audit> audits = audits(c);
        boolean any = false;
        for (Results.Audit a : audits) {
            for (Results.Check ch : a.checks()) {
                if (!ch.status().equals("PASS")) {
                    any = true;
                    md.append("- **").append(a.scope()).append("** `").append(ch.name()).append("` (").append(ch.flow()).append("): ")
                            .append(ch.status()).append(ch.violations() > 0 ? " " + ch.violations() : "")
                            .append(ch.detail() != null ? " — " + ch.detail() : "")
                            .append(ch.examples().isEmpty() ? "" : " — e.g. " + String.join("; ", ch.examples().stream().limit(5).toList()))
                            .append("\n");
                }
            }
        }
        if (!any) {
            md.append("Every check passed.\n");
        }
        md.append("\n## Versions and settings\n\n");
        c.versions().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
        Results.Settings s = c.settings();
        md.append(String.format(Locale.ROOT, "- stack warm-up (discarded): %s s at %s orders/s, every flow in turn%n",
                Svg.num(s.stackWarmupSeconds()), Svg.num(s.stackWarmupRate())));
        md.append(String.format(Locale.ROOT, "- latency: %s orders/s × %s s, %d repetitions after %s s warm-up; mix %s; seed %d; long-poll %d s%n",
                Svg.num(s.latencyRate()), Svg.num(s.latencySeconds()), s.repetitions(), Svg.num(s.warmupSeconds()), s.mix(), s.seed(), s.waitForFinalSeconds()));
        md.append("- throughput steps: ").append(s.throughputRates()).append(" orders/s × ").append(Svg.num(s.throughputStepSeconds())).append(" s\n");
        md.append(String.format(Locale.ROOT, "- chaos (%s): %s orders/s × %s s, kill at %s s, restart %s s later, deadline %s s after the restart%n",
                s.chaosMode(), Svg.num(s.chaosRate()), Svg.num(s.chaosSeconds()), Svg.num(s.killAtSeconds()),
                Svg.num(s.restartAfterSeconds()), Svg.num(s.recoveryDeadlineSeconds())));
        md.append(s.crashPoints() ? String.format(Locale.ROOT, "- crash points: one run of %s s per flow%n", Svg.num(s.crashSeconds()))
                : "- crash points: not run (--crash-points, or --full)\n");
        md.append("- tracing: ").append(s.tracing().equals("ab") ? "A/B, every other order sampled, Zipkin " + nz(s.zipkinUrl())
                : "off (no Zipkin in the stack)").append("\n");
        s.serviceSettings().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
        if (!c.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            c.notes().forEach(n -> md.append("- ").append(n).append("\n"));
        }
        return md.toString();
    }

    private static String mdTable(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> sb.append("---|"));
        sb.append("\n");
        rows.forEach(r -> sb.append("| ").append(String.join(" | ", r.stream().map(x -> x.replace("|", "/")).toList())).append(" |\n"));
        return sb.toString();
    }

    static String machine(Results.Machine m) {
        return String.format(Locale.ROOT, "%d cores, %.1f GiB, %s, %s, JDK %s", m.cores(), m.memoryGiB(), m.cpuModel(), m.os(), m.jdk());
    }

    // ---------------------------------------------------------------- html

    static String html(Results.Comparison c, Path dir) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>txlab comparison</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}")
                .append("th{background:#f3f3f3}.FAIL,.VIOLATIONS,.MISSING,.FAILED{color:#b00}.PASS,.CLEAN,.MEASURED{color:#070}.SKIPPED{color:#888}.NOT_FINAL{color:#b60}")
                .append("code{background:#f6f6f6;padding:0 3px}svg{display:block;margin:1em 0}")
                .append("</style></head><body>");
        h.append("<h1>txlab: five ways to place an order, measured side by side</h1>");
        h.append("<p>").append(Svg.esc(c.mode())).append(" run, generated ").append(Svg.esc(c.generatedAt())).append(" in ")
                .append(String.format(Locale.ROOT, "%.0f", c.elapsedSeconds())).append(" s on <b>").append(Svg.esc(machine(c.machine())))
                .append("</b>. Loopback only, one shared machine: compare flows as ratios within this run.</p>");
        h.append("<h2>Latency and throughput against the targets</h2>");
        h.append("<p>Timed unit: from just before <code>POST /orders</code> to the response showing the order final (long-poll). ")
                .append("Median of the repetitions; CV = coefficient of variation across them. × floor = flow ÷ one local PostgreSQL transaction doing all the writes.</p>");
        h.append(htmlTable(performanceHeader(), performanceRows(c)));
        List<String> cats = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        if (c.floor() != null && c.floor().latency() != null) {
            cats.add("floor");
            vals.add(arr(c.floor().latency().median()));
        }
        for (Results.FlowResult f : c.flows()) {
            if (f.latency() != null) {
                cats.add(f.flow());
                vals.add(arr(f.latency().median()));
            }
        }
        if (!cats.isEmpty()) {
            String[] names = {"p50", "p95", "p99", "p99.9"};
            List<Svg.Series> series = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                double[] v = new double[cats.size()];
                for (int j = 0; j < cats.size(); j++) {
                    v[j] = vals.get(j)[i];
                }
                series.add(new Svg.Series(names[i], v));
            }
            h.append(Svg.groupedBarsLog("Latency percentiles at " + Svg.num(c.settings().latencyRate()) + " orders/s (log scale)", "ms", cats, series));
        }
        List<String> tcats = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        List<Double> target = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            if (f.throughput() != null) {
                tcats.add(f.flow());
                measured.add(f.throughput().maxSustainedRate() == null ? Double.NaN : f.throughput().maxSustainedRate());
                target.add(Targets.of(f.flow()).map(Results.Target::maxRate).orElse(Double.NaN));
            }
        }
        if (!tcats.isEmpty()) {
            h.append(Svg.groupedBarsLog("Max sustained orders/s (p99 ≤ " + Svg.num(c.settings().sloP99Ms()) + " ms) vs target", "orders/s", tcats,
                    List.of(new Svg.Series("measured", measured.stream().mapToDouble(Double::doubleValue).toArray()),
                            new Svg.Series("target", target.stream().mapToDouble(Double::doubleValue).toArray()))));
            h.append("<h3>Throughput steps</h3>");
            List<List<String>> steps = new ArrayList<>();
            for (Results.FlowResult f : c.flows()) {
                if (f.throughput() == null) {
                    continue;
                }
                for (Results.Step s : f.throughput().steps()) {
                    steps.add(List.of(f.flow(), Svg.num(s.rate()), Svg.num(s.stats().finalPerSecond()), Svg.num(s.stats().latencyMs().p99()),
                            s.stats().unfinished() + " / " + s.stats().errors(), (s.passed() ? "✓ " : "✗ ") + s.reason(), link(dir, s.stats().gatlingReport())));
                }
            }
            h.append(htmlTable(List.of("flow", "offered /s", "final /s", "p99 ms", "unfinished / failed", "verdict", "Gatling"), steps));
        }
        h.append("<h2>Recovery after a kill -9").append(c.settings().crashPoints() ? " and after crash points" : "").append("</h2>");
        h.append(htmlTable(recoveryHeader(), recoveryRows(c)));
        for (Results.FlowResult f : c.flows()) {
            for (Results.Chaos ch : java.util.stream.Stream.of(f.chaos(), f.crash()).filter(x -> x != null && !x.timeline().isEmpty()).toList()) {
                h.append(Svg.timeline(f.flow() + ": " + fault(ch) + " at " + Svg.num(ch.stats() != null ? ch.stats().rate() : ch.rate())
                                + " orders/s" + (ch.flowsInRun().size() > 1 ? " (its share of " + Svg.num(ch.rate()) + ")" : ""),
                        ch.timeline(), ch.killAtSeconds(), ch.restartHealthyAtSeconds(), c.settings().sloP99Ms()));
                if (!ch.notFinalOrderIds().isEmpty()) {
                    h.append("<p>Not final at the deadline: <code>").append(Svg.esc(String.join(", ", ch.notFinalOrderIds()))).append("</code></p>");
                }
                if (ch.error() != null) {
                    h.append("<p class='FAIL'>").append(Svg.esc(ch.error())).append("</p>");
                }
                if (ch.stats() != null && ch.stats().gatlingReport() != null) {
                    h.append("<p>").append(link(dir, ch.stats().gatlingReport())).append("</p>");
                }
            }
        }
        List<List<String>> tracing = tracingRows(c);
        if (!tracing.isEmpty()) {
            h.append("<h2>Tracing: overhead and the slowest traces</h2><p>In the latency repetitions every order carried a W3C ")
                    .append("<code>traceparent</code>, sampled on every other order (the services sample parent-based): the overhead ")
                    .append("is traced vs untraced orders of the same runs. Metrics stay on for both halves. The slowest traced orders' ")
                    .append("traces are saved as Zipkin JSON (open them in any Zipkin UI: Upload JSON); the Zipkin links work while that stack runs.</p>");
            h.append(htmlTable(tracingHeader(), tracing));
            List<List<String>> links = new ArrayList<>();
            for (Results.FlowResult f : c.flows()) {
                if (f.tracing() != null) {
                    for (Results.TraceLink l : f.tracing().slowest()) {
                        links.add(List.of(f.flow(), l.orderId(), Svg.num(l.latencyMs()), Integer.toString(l.spans()),
                                l.file() == null ? "not saved" : "<a href='" + Svg.esc(l.file()) + "'>" + Svg.esc(l.traceId()) + ".json</a>",
                                l.zipkinUrl() == null ? "" : "<a href='" + Svg.esc(l.zipkinUrl()) + "'>Zipkin</a>"));
                    }
                }
            }
            h.append(htmlTable(List.of("flow", "order", "ms", "spans", "trace", "live"), links));
        }
        h.append("<h2>Audit</h2><p>Invariants checked across all databases after each flow and each chaos run (changes since the previous audit) and once more at the end (absolute).</p>");
        List<List<String>> auditRows = new ArrayList<>();
        List<Results.Audit> audits = audits(c);
        for (Results.Audit a : audits) {
            for (Results.Check ch : a.checks()) {
                auditRows.add(List.of(a.scope(), ch.name(), ch.flow(), ch.status(), Long.toString(ch.violations()),
                        (ch.detail() == null ? "" : ch.detail()) + (ch.examples().isEmpty() ? "" : " — " + String.join("; ", ch.examples()))));
            }
            if (a.checks().isEmpty()) {
                auditRows.add(List.of(a.scope(), "-", "-", a.status(), "0", a.detail()));
            }
        }
        h.append(htmlTable(List.of("audit", "check", "flow", "result", "violations", "detail / examples"), auditRows));
        h.append("<h2>Latency repetitions and Gatling reports</h2>");
        List<List<String>> reps = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            if (f.latency() != null) {
                for (Results.RunStats r : f.latency().repetitions()) {
                    reps.add(List.of(f.flow(), r.runId(), Long.toString(r.orders()), r.confirmed() + " / " + r.cancelled(),
                            r.unfinished() + " / " + r.errors(), Svg.num(r.latencyMs().p50()), Svg.num(r.latencyMs().p99()),
                            Svg.num(r.latencyMs().p999()), link(dir, r.gatlingReport())));
                }
            }
        }
        h.append(htmlTable(List.of("flow", "run", "orders", "confirmed / cancelled", "unfinished / failed", "p50", "p99", "p99.9", "Gatling"), reps));
        h.append("<h2>Machine, versions, settings</h2><ul>");
        h.append("<li>").append(Svg.esc(machine(c.machine()))).append("</li>");
        c.versions().forEach((k, v) -> h.append("<li>").append(Svg.esc(k)).append(": ").append(Svg.esc(v)).append("</li>"));
        h.append("</ul><pre>").append(Svg.esc(markdown(c).substring(markdown(c).indexOf("## Versions")))).append("</pre>");
        h.append("<p>Flow backends: ");
        c.flows().forEach(f -> h.append("<b>").append(Svg.esc(f.flow())).append("</b> ").append(Svg.esc(nz(f.backend())))
                .append(f.backendSource() == null ? "" : " <small>(" + Svg.esc(f.backendSource()) + ")</small>").append("; "));
        h.append("</p><p>Machine-readable: <a href='results.json'>results.json</a>, <a href='summary.md'>summary.md</a>.</p></body></html>");
        return h.toString();
    }

    private static double[] arr(Results.Percentiles p) {
        return new double[] {p.p50(), p.p95(), p.p99(), p.p999()};
    }

    private static String link(Path dir, String target) {
        if (target == null || target.isBlank()) {
            return "";
        }
        Path t = Path.of(target);
        String rel = t.isAbsolute() && t.startsWith(dir.toAbsolutePath()) ? dir.toAbsolutePath().relativize(t).toString() : target;
        if (!rel.endsWith(".html")) {
            rel = rel + "/index.html";
        }
        return "<a href='" + Svg.esc(rel) + "'>report</a>";
    }

    private static String htmlTable(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table><tr>");
        header.forEach(x -> sb.append("<th>").append(Svg.esc(x)).append("</th>"));
        sb.append("</tr>");
        for (List<String> r : rows) {
            sb.append("<tr>");
            for (String cell : r) {
                String cls = cell.matches("[A-Z_]+") ? " class='" + cell + "'" : "";
                sb.append("<td").append(cls).append(">").append(cell.startsWith("<a ") ? cell : Svg.esc(cell)).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</table>").toString();
    }
}

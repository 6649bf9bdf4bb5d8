package io.txlab.loadtests.report;

import io.txlab.loadtests.report.Document.Block;
import io.txlab.loadtests.report.Document.Bullets;
import io.txlab.loadtests.report.Document.Cell;
import io.txlab.loadtests.report.Document.Chart;
import io.txlab.loadtests.report.Document.Preformatted;
import io.txlab.loadtests.report.Document.Section;
import io.txlab.loadtests.report.Document.Table;
import io.txlab.loadtests.report.Document.Text;
import io.txlab.loadtests.report.Document.Tone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.txlab.loadtests.report.Fmt.mark;
import static io.txlab.loadtests.report.Fmt.num;

/** The report's recovery, audit and settings sections (the part of {@link ReportModel} about faults and provenance). */
final class ReportFaults {

    private ReportFaults() {
    }

    static List<Section> sections(Results.Comparison c) {
        return List.of(recovery(c), audit(c), settings(c));
    }

    // ---------------------------------------------------------------- recovery

    private static Section recovery(Results.Comparison c) {
        List<Block> blocks = new ArrayList<>();
        List<List<Cell>> rows = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            List<Results.Chaos> runs = f.faultRuns();
            if (runs.isEmpty()) {
                rows.add(List.of(Cell.of(f.flow()), Cell.of(f.backend()), Cell.of("–"), Cell.of("–"), Cell.of("–"), Cell.of("–"),
                        Cell.of("–"), Cell.of("–"), auditCell(f.flow(), f.audit())));
                continue;
            }
            for (Results.Chaos ch : runs) {
                Cell audit = auditCell(f.flow(), ch.audit() != null ? ch.audit() : f.audit());
                if (ch.killAtSeconds() == null) {
                    rows.add(List.of(Cell.of(f.flow()), Cell.of(f.backend()), Cell.of(fault(ch)), Cell.of("–"),
                            Cell.of("not measured: " + ch.error(), Tone.MUTED), Cell.of("–"), Cell.of("–"), Cell.of("–"), audit));
                    continue;
                }
                Double after = ch.allFinalAfterRestartSeconds();
                Cell allFinal = after == null ? Cell.of("✗ not all final", Tone.BAD)
                        : Cell.of(mark(after <= Targets.RECOVERY_SECONDS) + " " + num(after) + " s",
                        after <= Targets.RECOVERY_SECONDS ? Tone.GOOD : Tone.BAD);
                String p99 = ch.p99BackUnderSloAfterKillSeconds() != null ? num(ch.p99BackUnderSloAfterKillSeconds()) + " s"
                        : ch.restartHealthyAtSeconds() == null ? "never (no restart)"
                        : "not within the run (load went on " + num(Math.max(0, ch.durationSeconds() - ch.restartHealthyAtSeconds()))
                        + " s past the restart)";
                rows.add(List.of(Cell.of(f.flow()), Cell.of(f.backend()), Cell.of(faultAtRate(ch)),
                        Cell.of(Long.toString(ch.ordersInFlightAtKill())), allFinal, Cell.of(p99),
                        Cell.of(Long.toString(ch.notFinalAtDeadline()), ch.notFinalAtDeadline() > 0 ? Tone.BAD : Tone.PLAIN),
                        outcomes(ch.stats()), audit));
            }
        }
        blocks.add(new Table(List.of("flow", "backend", "fault", "in flight at fault", "all final after restart or heal (≤ 30 s)",
                "p99 < SLO again after fault", "not final at deadline",
                "the run's orders: confirmed / cancelled / not final when the load stopped / refused", "audit violations"), rows));
        blocks.add(new Text("The run's orders are every order of the flow placed during the fault run, not only those in flight at "
                + "the fault: what the flow accepted (refused = answered with an error), and how they stood when the load "
                + "stopped." + mixNote(c.settings().mix())));
        availability(c, blocks);
        for (Results.FlowResult f : c.flows()) {
            for (Results.Chaos ch : f.faultRuns().stream().filter(x -> !x.timeline().isEmpty()).toList()) {
                String share = ch.flowsInRun().size() > 1 ? " (its share of " + num(ch.rate()) + ")" : "";
                blocks.add(new Chart(f.flow() + ": " + fault(ch) + " (timeline in index.html)", Svg.timeline(f.flow() + ": " + fault(ch)
                                + " at " + num(ch.stats() != null ? ch.stats().rate() : ch.rate()) + " orders/s" + share, ch.timeline(),
                        ch.killAtSeconds(), ch.restartHealthyAtSeconds(), c.settings().sloP99Ms(), markers(ch)[0],
                        markers(ch)[1])));
                List<Cell> notes = new ArrayList<>();
                if (!ch.notFinalOrderIds().isEmpty()) {
                    notes.add(Cell.of("not final at the deadline: " + String.join(", ", ch.notFinalOrderIds()), Tone.BAD));
                }
                if (ch.error() != null) {
                    notes.add(Cell.of(ch.error(), Tone.BAD));
                }
                if (ch.stats() != null && ch.stats().gatlingReport() != null) {
                    notes.add(ReportModel.link(ch.stats().gatlingReport()));
                }
                if (!notes.isEmpty()) {
                    blocks.add(new Bullets(notes));
                }
            }
        }
        boolean crash = c.settings().crashPoints();
        boolean infra = c.flows().stream().anyMatch(f -> !f.infra().isEmpty());
        return new Section("recovery", "Recovery after a kill -9" + (infra ? " of a service, a database and the broker" : "")
                + (ranInfra(c, "partition") ? ", a network partition" : "") + (ranInfra(c, "disk-full") ? ", a full disk" : "")
                + (ranInfra(c, "memory") ? ", memory pressure" : "")
                + (crash ? " and after crash points" : ""), true, blocks);
    }

    /**
     * Per flow and fault: of the orders placed while the fault lasted, and after it, how many the flow accepted and how
     * many ended as the workload asked once followed to the deadline (issue 15: what sagas promise over 2PC).
     */
    private static void availability(Results.Comparison c, List<Block> blocks) {
        List<List<Cell>> rows = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            for (Results.Chaos ch : f.faultRuns()) {
                if (ch.during() == null) {
                    continue;
                }
                Results.Availability d = ch.during();
                Results.Availability a = ch.after();
                rows.add(List.of(Cell.of(f.flow()), Cell.of(fault(ch)), Cell.of(Long.toString(d.placed())),
                        share(d.accepted(), d.placed()), share(d.asAsked(), d.placed()),
                        Cell.of(Long.toString(d.otherwise()), d.otherwise() > 0 ? Tone.WARN : Tone.PLAIN),
                        Cell.of(Long.toString(d.notFinal()), d.notFinal() > 0 ? Tone.BAD : Tone.PLAIN),
                        a == null ? Cell.of("–") : share(a.accepted(), a.placed()),
                        a == null ? Cell.of("–") : share(a.asAsked(), a.placed()),
                        a == null ? Cell.of("–") : Cell.of(Long.toString(a.notFinal()), a.notFinal() > 0 ? Tone.BAD : Tone.PLAIN)));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        blocks.add(new Text("Availability during the fault and after it: the orders each flow was given from the fault until "
                + "the restart was healthy or the link healed (during), and from then until the load stopped (after). "
                + "Accepted = answered with an order id; as asked = followed to the deadline, it ended as the workload meant "
                + "(confirmed, or cancelled for funds or stock); otherwise = it ended the other way (an order meant to be "
                + "confirmed, cancelled: the fault decided it)."));
        blocks.add(new Table(List.of("flow", "fault", "placed during", "accepted during", "as asked during",
                "otherwise during", "not final during", "accepted after", "as asked after", "not final after"), rows));
    }

    private static Cell share(long part, long whole) {
        if (whole == 0) {
            return Cell.of("–");
        }
        double pct = 100.0 * part / whole;
        return Cell.of(num(pct) + " % (" + part + ")", pct >= 99 ? Tone.PLAIN : Tone.WARN);
    }

    /** What the workload mix alone cancels, so a fault's extra cancellations can be told from the business ones. */
    private static String mixNote(String mix) {
        try {
            io.txlab.loadtests.config.WorkloadMix m = io.txlab.loadtests.config.WorkloadMix.parse(mix);
            return " The workload mix (" + mix + ") asks for " + (m.declined() + m.outOfStock()) + " % of them to be cancelled "
                    + "(declined payments and sold-out SKUs).";
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    private static Cell outcomes(Results.RunStats s) {
        if (s == null) {
            return Cell.of("–");
        }
        return Cell.of(s.confirmed() + " / " + s.cancelled() + " / " + s.unfinished() + " / " + s.errors() + " of " + s.orders(),
                s.unfinished() > 0 || s.errors() > 0 ? Tone.WARN : Tone.PLAIN);
    }

    /** The fault, and the rate of the run it happened in (its flows' rates together). */
    private static String faultAtRate(Results.Chaos ch) {
        return fault(ch) + (ch.rate() > 0 ? " at " + num(ch.rate()) + " orders/s" : "");
    }

    /** Whether any flow had an infrastructure fault run of this mode. */
    private static boolean ranInfra(Results.Comparison c, String mode) {
        return c.flows().stream().anyMatch(f -> f.infra().stream().anyMatch(ch -> ch.mode().equals(mode)));
    }

    /** The timeline's two markers: the fault and its end. */
    private static String[] markers(Results.Chaos ch) {
        return switch (ch.mode()) {
            case "partition" -> new String[] {"partition", "healed"};
            case "disk-full" -> new String[] {"disk full", "freed"};
            case "memory" -> new String[] {"squeezed", "released"};
            default -> new String[] {"kill", "healthy"};
        };
    }

    static String fault(Results.Chaos ch) {
        if (ch.mode().equals("crash-point")) {
            return ch.crashPoint() == null ? "crash point: none" : "crash point " + ch.crashPoint() + " in " + ch.component();
        }
        if (ch.mode().equals("partition")) {
            return "partition " + ch.component() + " (shared run, all flows)";
        }
        if (ch.mode().equals("disk-full")) {
            return "disk full " + ch.component() + " (shared run, all flows)";
        }
        if (ch.mode().equals("memory")) {
            return "memory pressure " + ch.component() + " (shared run, all flows)";
        }
        return "SIGKILL " + ch.component() + (ch.mode().equals("shared") ? " (shared run, all flows)" : "");
    }

    /**
     * The violations an audit attributes to the flow: its own checks, plus the checks that cannot tell flows apart
     * ("*" prepared transactions, "services" ledgers shared by the four service flows) when they failed.
     */
    private static Cell auditCell(String flow, Results.Audit audit) {
        if (audit == null) {
            return Cell.of("–");
        }
        long own = audit.violationsByFlow().entrySet().stream()
                .filter(e -> e.getKey().equals(flow) || e.getKey().equals("*")
                        || (e.getKey().equals("services") && !flow.equals("cockroach")))
                .mapToLong(Map.Entry::getValue).sum();
        boolean mustBeZero = Targets.ZERO_VIOLATION_FLOWS.contains(flow);
        return Cell.of((mustBeZero ? mark(own == 0) + " " : "") + own, own == 0 ? Tone.PLAIN : mustBeZero ? Tone.BAD : Tone.WARN);
    }

    // ---------------------------------------------------------------- audit

    /** Every audit of the run once: per flow, per chaos run (a shared run's audit once), the final one. */
    private static List<Results.Audit> audits(Results.Comparison c) {
        Set<Results.Audit> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Results.Audit> audits = new ArrayList<>();
        for (Results.FlowResult f : c.flows()) {
            List<Results.Audit> ofFlow = new ArrayList<>();
            f.faultRuns().forEach(ch -> ofFlow.add(ch.audit()));
            ofFlow.add(f.audit());
            for (Results.Audit a : ofFlow) {
                if (a != null && seen.add(a)) {
                    audits.add(a);
                }
            }
        }
        if (c.finalAudit() != null && seen.add(c.finalAudit())) {
            audits.add(c.finalAudit());
        }
        return audits;
    }

    private static Section audit(Results.Comparison c) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text("Invariants checked across all databases after the latency runs, after each flow's own runs and each "
                + "fault run (changes since the previous audit), and once more at the end (absolute): stock and money conserved, every "
                + "CONFIRMED order with its reservation and one authorized payment of its total, every CANCELLED order with neither, "
                + "no double charge, no prepared transaction left. PENDING orders are listed as NOT_FINAL, not counted as violations."));
        List<List<Cell>> findings = new ArrayList<>();
        for (Results.Audit a : audits(c)) {
            for (Results.Check ch : a.checks()) {
                if (!ch.status().equals("PASS")) {
                    findings.add(List.of(Cell.of(a.scope()), Cell.of(ch.name()), Cell.of(ch.flow()), ReportModel.status(ch.status()),
                            Cell.of(Long.toString(ch.violations())), Cell.of((ch.detail() == null ? "" : ch.detail())
                                    + (ch.examples().isEmpty() ? "" : " — e.g. " + String.join("; ", ch.examples().stream().limit(5).toList())))));
                }
            }
            if (a.checks().isEmpty()) {
                findings.add(List.of(Cell.of(a.scope()), Cell.of("-"), Cell.of("-"), ReportModel.status(a.status()), Cell.of("0"), Cell.of(a.detail())));
            }
        }
        if (findings.isEmpty()) {
            blocks.add(new Text("Every check of every audit passed."));
        } else {
            blocks.add(new Table(List.of("audit", "check", "flow", "result", "violations", "detail / examples"), findings));
        }
        return new Section("audit", "Audit findings", false, blocks);
    }

    // ---------------------------------------------------------------- settings

    private static Section settings(Results.Comparison c) {
        List<Block> blocks = new ArrayList<>();
        List<Cell> items = new ArrayList<>();
        items.add(Cell.of("machine: " + Fmt.machine(c.machine())));
        c.versions().forEach((k, v) -> items.add(Cell.of(k + ": " + v)));
        Results.Settings s = c.settings();
        items.add(Cell.of(String.format(Locale.ROOT, "stack warm-up (discarded): %s s ramping to %s orders/s, every flow in turn; idle "
                + "in windows of %s s until steady", num(s.stackWarmupSeconds()), num(s.stackWarmupRate()), num(s.idleSeconds()))));
        items.add(Cell.of(String.format(Locale.ROOT, "steady state: windows of %s s at %s orders/s, tolerance %s %%, cap %s s",
                num(s.windowSeconds()), num(s.rate()), num(s.steadyTolerance() * 100), num(s.maxWarmupSeconds()))));
        items.add(Cell.of(String.format(Locale.ROOT, "latency: %d repetitions of %s s, each lane alone at %s orders/s, order rotated; p99 from "
                        + "≥ %d final orders, p99.9 from ≥ %d; mix %s; seed %d; POST with Prefer: wait=%d (ADR 48)", s.repetitions(),
                num(s.repetitionSeconds()), num(s.rate()), s.minP99Samples(), Targets.MIN_P999_SAMPLES, s.mix(), s.seed(),
                s.waitForFinalSeconds())));
        items.add(Cell.of(String.format(Locale.ROOT, "throughput: at most %d steps of %s s after a %s s ramp; SLO p99 ≤ %s ms, error "
                + "budget %s %%", s.maxSteps(), num(s.stepSeconds()), num(s.rampSeconds()), num(s.sloP99Ms()), num(s.errorBudgetPercent()))));
        items.add(Cell.of(String.format(Locale.ROOT, "chaos (%s): %s orders/s%s × %s s, kill at %s s, restart %s s later, deadline %s s "
                        + "after the restart; crash points %s", s.chaosMode(), num(s.chaosRate()),
                s.chaosBusy() > 0 ? " at most, lowered to keep ≤ " + num(s.chaosBusy() * 100) + " % of the machine busy by the flows' "
                        + "measured CPU per order" : "", num(s.chaosSeconds()),
                num(s.killAtSeconds()), num(s.restartAfterSeconds()), num(s.recoveryDeadlineSeconds()),
                s.crashPoints() ? "one run of " + num(s.crashSeconds()) + " s per flow" : "not run (--crash-points, or --full)")));
        items.add(Cell.of("tracing: " + s.tracing() + (s.tracingPair() ? "; tracing pair " + num(s.tracingSeconds()) + " s per run" : "")));
        items.add(Cell.of("flow backends: " + String.join("; ", c.flows().stream().map(f -> f.flow() + " " + (f.backend() == null ? "–" : f.backend())
                + (f.backendSource() == null ? "" : " (" + f.backendSource() + ")")).toList())));
        blocks.add(new Bullets(items));
        if (!s.serviceSettings().isEmpty()) {
            StringBuilder knobs = new StringBuilder();
            s.serviceSettings().forEach((k, v) -> knobs.append(k).append(": ").append(v).append('\n'));
            blocks.add(new Text("Relay, batching and sticky-execution settings as the services are configured:"));
            blocks.add(new Preformatted(knobs.toString()));
        }
        if (!c.notes().isEmpty()) {
            blocks.add(new Text("Notes:"));
            blocks.add(new Bullets(c.notes().stream().map(Cell::of).toList()));
        }
        blocks.add(new Bullets(List.of(Cell.link("results.json (every number)", "results.json"), Cell.link("summary.md", "summary.md"))));
        return new Section("settings", "Machine, versions, settings", false, blocks);
    }
}

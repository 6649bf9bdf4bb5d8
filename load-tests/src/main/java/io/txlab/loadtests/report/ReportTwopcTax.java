package io.txlab.loadtests.report;

import io.txlab.loadtests.report.Document.Block;
import io.txlab.loadtests.report.Document.Bullets;
import io.txlab.loadtests.report.Document.Cell;
import io.txlab.loadtests.report.Document.Chart;
import io.txlab.loadtests.report.Document.Section;
import io.txlab.loadtests.report.Document.Table;
import io.txlab.loadtests.report.Document.Text;
import io.txlab.loadtests.report.Document.Tone;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.txlab.loadtests.report.Fmt.num;
import static io.txlab.loadtests.report.Fmt.ratio;

/** The report's "2PC tax" section (issue 17, part 2): {@link Results.TwopcTax} in, one {@link Section} out. */
final class ReportTwopcTax {

    static final String ID = "twopc-tax";

    private ReportTwopcTax() {
    }

    static Section of(Results.TwopcTax t) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text(String.format(Locale.ROOT, "%s, run by this comparison at its end with the stack idle: one "
                        + "local transaction against two-phase commit over 2, 3 and 5 PostgreSQL clusters of its own on this "
                        + "machine (fsync and synchronous_commit on), every transaction inserting one row and decrementing "
                        + "one guarded row on each database it touches. Plain JDBC, no HTTP: the protocol's own cost (log "
                        + "BEGUN, prepare on every participant in parallel, force the decision, commit prepared in "
                        + "parallel), not txlab's web stack, which the twopc lane above pays on top. Closed loop: each "
                        + "client runs one transaction after another, %s ms warm-up discarded, %s ms measured per row. The "
                        + "tax is 2PC's p50 (p99) as a multiple of the local transaction's at the same concurrency; CPU per "
                        + "transaction counts every cluster's processes and the benchmark's JVM (clients and coordinator) "
                        + "over the measured time, and a closed loop at 16 clients keeps both cores busy, so its "
                        + "latencies there are queueing as much as protocol. Why txlab coordinates 2PC itself and what these "
                        + "figures mean for it: ADR 8.",
                t.command(), t.warmupMs(), t.durationMs())));
        if (t.error() != null) {
            blocks.add(new Text("Not measured: " + t.error()));
        }
        if (!t.runs().isEmpty()) {
            blocks.add(runs(t));
            blocks.addAll(charts(t));
        }
        if (!t.crash().isEmpty()) {
            blocks.add(new Text("After a coordinator crash mid-protocol: a transaction prepared on every participant, the "
                    + "coordinator's work stopped (before or after its decision was forced to its log) and resumed after "
                    + "the downtime with the coordinator's recovery rules (a logged decision is re-driven; an undecided "
                    + "transaction is aborted once older than the prepare timeout). Meanwhile a competing UPDATE of a row "
                    + "the transaction holds waits: PostgreSQL never times a prepared transaction out, so the rows stay "
                    + "locked until the coordinator resolves them. The order flow's own crash points (a process killed "
                    + "there) are in the recovery section."));
            blocks.add(crash(t));
        }
        blocks.add(new Bullets(List.of(
                Cell.link("the benchmark's own report (markdown)", t.output() + "/twopc-bench.md"),
                Cell.link("twopc-bench.json", t.output() + "/twopc-bench.json"),
                Cell.link("its log", t.output() + "/twopc-bench.log"))));
        return new Section(ID, "The 2PC tax", true, blocks);
    }

    private static Table runs(Results.TwopcTax t) {
        List<List<Cell>> rows = new ArrayList<>();
        for (Results.TaxRun r : t.runs()) {
            boolean local = r.taxP50() == null;
            rows.add(List.of(Cell.of(Integer.toString(r.concurrency())),
                    Cell.of(local ? "local (1 database)" : "2PC, " + r.participants() + " participants"),
                    Cell.of(num(r.throughputPerSec())), Cell.of(num(r.p50Ms())), Cell.of(num(r.p99Ms())),
                    Cell.of(local ? "1" : ratio(r.taxP50()) + "×", local ? Tone.MUTED : Tone.PLAIN),
                    Cell.of(local ? "1" : ratio(r.taxP99()) + "×", local ? Tone.MUTED : Tone.PLAIN),
                    Cell.of(local ? "1" : times(r.throughputRatio(), "%.2f×"), local ? Tone.MUTED : Tone.PLAIN),
                    Cell.of(num(r.cpuMsPerTx())),
                    Cell.of(local ? "1" : times(r.cpuTax(), "%.1f×"), local ? Tone.MUTED : Tone.PLAIN)));
        }
        return new Table(List.of("clients", "transaction", "tx/s", "p50 ms", "p99 ms", "tax p50", "tax p99",
                "throughput vs local", "CPU ms per tx", "CPU tax"), rows);
    }

    private static String times(Double v, String format) {
        return v == null ? "–" : String.format(Locale.ROOT, format, v);
    }

    /** p50 and throughput per concurrency, one bar per participant count. */
    private static List<Block> charts(Results.TwopcTax t) {
        List<Integer> concurrency = t.runs().stream().map(Results.TaxRun::concurrency).distinct().toList();
        List<Integer> participants = t.runs().stream().map(Results.TaxRun::participants).distinct().sorted().toList();
        List<String> categories = concurrency.stream().map(c -> c + (c == 1 ? " client" : " clients")).toList();
        List<Block> charts = new ArrayList<>();
        for (String which : List.of("p50", "tx/s")) {
            List<Svg.Series> series = new ArrayList<>();
            for (int n : participants) {
                double[] v = new double[concurrency.size()];
                for (int i = 0; i < concurrency.size(); i++) {
                    Optional<Results.TaxRun> r = find(t, n, concurrency.get(i));
                    v[i] = r.map(x -> which.equals("p50") ? x.p50Ms() : x.throughputPerSec()).orElse(Double.NaN);
                }
                series.add(new Svg.Series(n == 1 ? "local" : "2PC, " + n + " participants", v));
            }
            String title = which.equals("p50")
                    ? "p50 latency per transaction, local vs 2PC (ms, log scale)"
                    : "throughput, local vs 2PC (transactions/s, log scale)";
            charts.add(new Chart("The 2PC tax: see index.html", Svg.groupedBarsLog(title,
                    which.equals("p50") ? "ms p50" : "tx/s", categories, series)));
        }
        return charts;
    }

    private static Optional<Results.TaxRun> find(Results.TwopcTax t, int participants, int concurrency) {
        return t.runs().stream().filter(r -> r.participants() == participants && r.concurrency() == concurrency).findFirst();
    }

    private static Table crash(Results.TwopcTax t) {
        List<List<Cell>> rows = new ArrayList<>();
        for (Results.TaxCrash c : t.crash()) {
            rows.add(List.of(Cell.of(c.scenario()), Cell.of(Integer.toString(c.participants())),
                    Cell.of(Long.toString(c.coordinatorDowntimeMs())), Cell.of(Long.toString(c.prepareTimeoutMs())),
                    Cell.of(Long.toString(c.recoveryIntervalMs())),
                    Cell.of(String.format(Locale.ROOT, "%.0f", c.competingUpdateBlockedMs()), Tone.WARN),
                    Cell.of(String.format(Locale.ROOT, "%.0f", c.restartToResolvedMs())),
                    Cell.of(String.format(Locale.ROOT, "%.1f", c.resolvingPassMs())), Cell.of(c.outcome())));
        }
        return new Table(List.of("coordinator crash", "participants", "coordinator away ms", "prepare timeout ms",
                "recovery every ms", "rows locked (competing UPDATE blocked) ms", "restart → resolved ms",
                "resolving pass ms", "outcome"), rows);
    }
}

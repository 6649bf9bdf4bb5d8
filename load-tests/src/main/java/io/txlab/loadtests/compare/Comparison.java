package io.txlab.loadtests.compare;

import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.loadtests.audit.AuditDatabases;
import io.txlab.loadtests.audit.Auditor;
import io.txlab.loadtests.chaos.OrderStore;
import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.SampleFile;
import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.report.Targets;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One comparison: the floor, then for each flow a probe, warm-up, latency repetitions, throughput steps, a chaos run
 * and an audit; then a final audit and the report. A flow the build does not have is reported MISSING; a phase that
 * fails is reported with its error and the comparison goes on. This class runs the phases in order and prints the
 * progress; {@link FlowProbe} probes a flow, {@link LoadRuns} runs the load, {@link TraceCollector} measures tracing
 * and {@link FaultRuns} runs the chaos and crash-point runs.
 */
public final class Comparison {

    /** Which component a per-flow chaos run kills when {@code --kill} is not given: the one the flow leans on most. */
    public static final Map<String, String> DEFAULT_KILL = Map.of(
            "choreography", Topology.PAYMENT_SERVICE,
            "outbox", Topology.PAYMENT_SERVICE,
            "orchestration", Topology.SAGA_ORCHESTRATOR,
            "twopc", Topology.TWOPC_COORDINATOR,
            "cockroach", Topology.POSTGRES_COCKROACH);

    /** The shared chaos run's default victim: every flow's orders enter, and most of them are decided, there. */
    public static final String SHARED_KILL = Topology.ORDER_SERVICE;

    /** A named crash point and the service that arms it (its {@code chaos} profile). */
    public record CrashPoint(String service, String name, String moment) {
    }

    /**
     * Per flow, the worst moment the code has a crash point for. The cockroach flow has none: it is one transaction,
     * so there is no moment between two commits to halt in (its kill is the database itself).
     */
    public static final Map<String, CrashPoint> CRASH_POINTS = Map.of(
            "choreography", new CrashPoint(Topology.PAYMENT_SERVICE, "choreography.after-commit-before-publish",
                    "payment committed, PaymentAuthorized/Declined not yet published"),
            "outbox", new CrashPoint(Topology.PAYMENT_SERVICE, "outbox.after-commit-before-relay",
                    "payment and its outbox row committed, the relay read it but did not publish"),
            "orchestration", new CrashPoint(Topology.PAYMENT_SERVICE, "orchestration.after-authorize-commit",
                    "the authorize activity committed but did not report back to Temporal"),
            "twopc", new CrashPoint(Topology.TWOPC_COORDINATOR, "twopc.after-decision-logged",
                    "every participant prepared, COMMIT logged, no participant told yet"));

    private final Plan plan;
    private final List<String> flows;
    private final Topology topology;
    private final String baseUrl;
    private final Path repo;
    private final Path reportDir;
    private final String killOverride;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final String runPrefix = "cmp" + Long.toString(System.currentTimeMillis(), 36);
    private final OrderStore store;
    private final Auditor auditor;
    private final TraceCollector traces;
    private final LoadRuns runs;
    private final FlowProbe probe;
    private final FaultRuns faults;
    private final List<String> notes = new ArrayList<>();
    /** What the last audit left (stock, money, ...): a flow's audit counts from it. */
    private Auditor.Baseline baseline = Auditor.Baseline.NONE;

    /** @param tracing {@code auto} (traces A/B when the stack runs Zipkin), {@code ab} or {@code none} */
    public Comparison(Plan plan, List<String> flows, Topology topology, Path repo, Path reportDir, StackControl stack,
                      String killOverride, String tracing, PrintStream out) {
        this.plan = plan;
        this.flows = flows;
        this.topology = topology;
        this.baseUrl = topology.serviceUrl(Topology.ORDER_SERVICE);
        this.repo = repo;
        this.reportDir = reportDir;
        this.killOverride = killOverride;
        this.out = out;
        AuditDatabases dbs = AuditDatabases.of(topology);
        this.store = new OrderStore(dbs.ordersUrl(), dbs.cockroachUrl(), dbs.user(), dbs.password());
        this.auditor = new Auditor(dbs, runPrefix);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.traces = new TraceCollector(topology, tracing == null ? "auto" : tracing.trim().toLowerCase(Locale.ROOT),
                reportDir, http, this::progress);
        this.runs = new LoadRuns(plan, baseUrl, runPrefix, reportDir, traces);
        this.probe = new FlowProbe(http, baseUrl, runPrefix);
        this.faults = new FaultRuns(plan, topology, stack, runs, store, auditor, this::progress);
    }

    public Results.Comparison run() {
        progress("comparison " + plan.mode() + " of " + String.join(", ", flows) + " against " + baseUrl + " (report: " + reportDir + ")");
        LoadSettings.TraceMode traceMode = traces.resolve(notes);
        baseline = auditor.audit("before", null, Auditor.Baseline.NONE).baseline();
        Results.Floor floor = floor();
        Map<String, FlowProbe.Result> probes = probeAll();
        List<String> implemented = probes.entrySet().stream().filter(e -> e.getValue().ok()).map(Map.Entry::getKey).toList();
        stackWarmup(implemented);

        List<Results.FlowResult> results = new ArrayList<>();
        for (String flow : flows) {
            FlowProbe.Result probed = probes.get(flow);
            results.add(probed.ok() ? flow(flow, probed, floor) : Results.FlowResult.notMeasured(flow, probed.status(), probed.detail()));
        }
        if (plan.chaos() && plan.sharedChaos() && !implemented.isEmpty()) {
            Map<String, Results.Chaos> shared = faults.shared(implemented, sharedVictim());
            results = results.stream().map(r -> shared.containsKey(r.flow()) ? r.withChaos(shared.get(r.flow())) : r).toList();
        }
        progress("final audit");
        Results.Audit finalAudit = auditor.audit("final (all flows, absolute)", null, Auditor.Baseline.NONE).audit();
        Optional<String> pg = databaseVersion();
        Results.Settings settings = settings(traceMode);
        addNotes(traceMode);
        return new Results.Comparison(Instant.now().toString(), plan.mode(), elapsed(), Environment.machine(),
                Environment.versions(repo, pg), settings, floor, results, finalAudit, Targets.ALL, List.copyOf(notes));
    }

    public void write(Results.Comparison c) {
        ReportWriter.write(c, reportDir);
    }

    private Map<String, FlowProbe.Result> probeAll() {
        Map<String, FlowProbe.Result> probes = new LinkedHashMap<>();
        for (String flow : flows) {
            FlowProbe.Result probed = probe.probe(flow);
            probes.put(flow, probed);
            progress(flow + ": " + (probed.ok() ? "implemented (" + probed.detail() + ")" : probed.status() + " — " + probed.detail()));
        }
        return probes;
    }

    private String sharedVictim() {
        return killOverride != null ? killOverride : SHARED_KILL;
    }

    private String ownVictim(String flow) {
        return killOverride != null ? killOverride : DEFAULT_KILL.getOrDefault(flow, Topology.PAYMENT_SERVICE);
    }

    private Optional<String> databaseVersion() {
        try {
            return Optional.of(store.databaseVersion());
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private Results.Settings settings(LoadSettings.TraceMode traceMode) {
        Map<String, String> serviceUrls = new LinkedHashMap<>();
        for (String s : List.of(Topology.ORDER_SERVICE, Topology.INVENTORY_SERVICE, Topology.PAYMENT_SERVICE,
                Topology.SAGA_ORCHESTRATOR, Topology.TWOPC_COORDINATOR)) {
            serviceUrls.put(s, topology.serviceUrl(s));
        }
        return new Results.Settings(plan.stackWarmupSeconds(), plan.stackWarmupRate(), plan.latencyRate(),
                plan.latencySeconds(), plan.repetitions(), plan.warmupSeconds(), plan.throughputRates(), plan.stepSeconds(),
                plan.sloP99Ms(), plan.errorBudgetPercent(), plan.sharedChaos() ? "shared" : "per-flow", plan.chaosRate(),
                plan.chaosSeconds(), plan.killAtSeconds(), plan.restartAfterSeconds(), plan.recoveryDeadlineSeconds(),
                plan.crashPoints(), plan.crashSeconds(), plan.mix().toString(), plan.seed(), plan.waitForFinalSeconds(),
                traceMode.name().toLowerCase(Locale.ROOT), traceMode == LoadSettings.TraceMode.AB ? traces.zipkinUrl() : null,
                baseUrl, Environment.serviceSettings(repo, serviceUrls));
    }

    private void addNotes(LoadSettings.TraceMode traceMode) {
        notes.add("The floor is one PostgreSQL transaction from the load generator over JDBC: no HTTP, no second service; "
                + "flows pay at least two HTTP round trips (POST + long-poll) on top of their protocol.");
        notes.add(String.format(Locale.ROOT, "Nothing is measured before a %.0f s warm-up of every flow in turn at %.0f orders/s "
                + "(discarded), and each flow gets its own %.0f s warm-up before its latency runs; samples of every run are in "
                + "samples/*.csv (one line per order) and its HdrHistogram percentile distribution in samples/*.hgrm.",
                plan.stackWarmupSeconds(), plan.stackWarmupRate(), plan.warmupSeconds()));
        if (traceMode == LoadSettings.TraceMode.AB) {
            notes.add("Tracing: warm-ups and latency runs traced every other order (A/B, the tracing table); throughput steps "
                    + "and chaos runs sent unsampled trace contexts only, so their numbers are with tracing configured but "
                    + "not recording.");
        }
        if (plan.chaos() && plan.sharedChaos()) {
            notes.add("Chaos (shared): one run with every flow's orders at once (" + fmt(plan.chaosRate()) + " orders/s in total, "
                    + "the flows take turns) and one SIGKILL of " + sharedVictim()
                    + " that hits them all at the same instant; each flow's recovery is computed from its own orders. "
                    + "--full (or --chaos-mode per-flow) kills each flow's own critical component in a run of its own.");
        }
    }

    // ------------------------------------------------------------------ floor

    private Results.Floor floor() {
        String cluster = topology.jdbcUrl(Topology.POSTGRES_COCKROACH, "txlab");
        FloorBenchmark bench = new FloorBenchmark(cluster, "txlab", "txlab");
        try {
            progress("floor: preparing " + bench.where());
            bench.prepare();
            bench.run(plan.latencyRate(), seconds(plan.warmupSeconds()), plan.mix(), plan.seed(), runPrefix + "-floor-warmup");
            List<Results.RunStats> reps = new ArrayList<>();
            for (int i = 1; i <= plan.repetitions(); i++) {
                String runId = runPrefix + "-floor-" + i;
                List<OrderSample> samples = bench.run(plan.latencyRate(), seconds(plan.latencySeconds()), plan.mix(), plan.seed(), runId);
                Path file = runs.samplesFile(runId + ".csv");
                SampleFile.write(file, samples);
                Results.RunStats stats = Stats.runStats(runId, plan.latencyRate(), plan.latencySeconds(), samples, true, null,
                        runs.rel(file), runs.samplesFile(runId + ".hgrm"));
                reps.add(stats);
                progress(String.format(Locale.ROOT, "floor: rep %d/%d p50 %.2f ms p99 %.2f ms (%d orders)", i, plan.repetitions(),
                        stats.latencyMs().p50(), stats.latencyMs().p99(), stats.orders()));
            }
            return new Results.Floor("MEASURED", "one local PostgreSQL transaction per order, " + fmt(plan.latencyRate())
                    + " orders/s, 8 connections", bench.where(), Stats.latency(plan.latencyRate(), plan.latencySeconds(), reps));
        } catch (SQLException e) {
            progress("floor: not measured: " + e.getMessage());
            return new Results.Floor("FAILED", "could not run on " + bench.where() + ": " + e.getMessage(), bench.where(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Results.Floor("FAILED", "interrupted", bench.where(), null);
        } finally {
            bench.drop();
        }
    }

    // ------------------------------------------------------------------ warm-up

    private void stackWarmup(List<String> implemented) {
        if (implemented.isEmpty() || plan.stackWarmupSeconds() <= 0) {
            return;
        }
        progress(String.format(Locale.ROOT, "stack warm-up: %.0f s ramping to %.0f orders/s, %s in turn (discarded)",
                plan.stackWarmupSeconds(), plan.stackWarmupRate(), String.join(", ", implemented)));
        GatlingRunner.Run warm = runs.run(implemented, "stack-warmup", plan.stackWarmupRate(), plan.stackWarmupSeconds(), false);
        Results.RunStats s = runs.stats(warm);
        progress(String.format(Locale.ROOT, "stack warm-up: p50 %s p99 %s ms, %d orders, %d unfinished, %d failed",
                fmt(s.latencyMs().p50()), fmt(s.latencyMs().p99()), s.orders(), s.unfinished(), s.errors()));
        implemented.forEach(this::settle);
    }

    // ------------------------------------------------------------------ one flow

    private Results.FlowResult flow(String flow, FlowProbe.Result probed, Results.Floor floor) {
        FlowProbe.Backend backend = probe.backend(flow, probed);
        progress(flow + ": backend " + backend.name() + " (" + backend.source() + "); warm-up " + fmt(plan.warmupSeconds()) + " s");
        runs.run(List.of(flow), "warmup", plan.latencyRate(), plan.warmupSeconds(), false);
        TraceCollector.FlowTraces traced = traces.of(flow);
        Results.Latency latency = latency(flow, traced);
        long latencyEnded = System.currentTimeMillis();
        Results.Throughput throughput = plan.throughput() ? throughput(flow) : null;
        Results.Tracing tracing = traced.result(latencyEnded);
        settle(flow);
        // no settle after a fault run: it already followed its orders until all were final or its deadline passed, and
        // an order still PENDING then (a lost event) would only make a settle wait its whole time for nothing
        Results.Chaos chaos = plan.chaos() && !plan.sharedChaos() ? faults.perFlow(flow, ownVictim(flow)) : null;
        Results.Chaos crash = plan.crashPoints() ? faults.crashPoint(flow, CRASH_POINTS.get(flow)) : null;
        Results.Audit audit = audit(flow);
        return new Results.FlowResult(flow, "MEASURED", probed.detail(), backend.name(), backend.source(), latency, throughput,
                chaos, crash, tracing, audit, ratio(latency, floor));
    }

    private Results.Latency latency(String flow, TraceCollector.FlowTraces traced) {
        List<Results.RunStats> reps = new ArrayList<>();
        for (int i = 1; i <= plan.repetitions(); i++) {
            GatlingRunner.Run rep = runs.run(List.of(flow), "latency-" + i, plan.latencyRate(), plan.latencySeconds(), i == 1);
            traced.repetition(rep.samples());
            Results.RunStats s = runs.stats(rep);
            reps.add(s);
            progress(String.format(Locale.ROOT, "%s: latency rep %d/%d at %s/s: p50 %s p99 %s ms, %d orders, %d unfinished, %d failed",
                    flow, i, plan.repetitions(), fmt(plan.latencyRate()), fmt(s.latencyMs().p50()), fmt(s.latencyMs().p99()),
                    s.orders(), s.unfinished(), s.errors()));
        }
        return Stats.latency(plan.latencyRate(), plan.latencySeconds(), reps);
    }

    /** The flow's latency as a multiple of the floor's; null when the floor was not measured. */
    private static Results.Ratio ratio(Results.Latency latency, Results.Floor floor) {
        if (floor.latency() == null) {
            return null;
        }
        return new Results.Ratio(latency.median().p50() / floor.latency().median().p50(),
                latency.median().p99() / floor.latency().median().p99());
    }

    private Results.Throughput throughput(String flow) {
        List<Results.Step> steps = new ArrayList<>();
        Double lastGood = null;
        String stop = null;
        for (double rate : plan.throughputRates()) {
            settle(flow);
            Results.RunStats s = runs.stats(runs.run(List.of(flow), "step-" + (int) rate, rate, plan.stepSeconds(), false));
            double bad = Stats.badPercent(s);
            boolean p99Ok = !Double.isNaN(s.latencyMs().p99()) && s.latencyMs().p99() <= plan.sloP99Ms();
            boolean budgetOk = bad <= plan.errorBudgetPercent();
            String reason = !p99Ok ? "p99 " + fmt(s.latencyMs().p99()) + " ms > SLO " + fmt(plan.sloP99Ms()) + " ms"
                    : !budgetOk ? String.format(Locale.ROOT, "%.1f %% failed or unfinished > budget %.1f %%", bad, plan.errorBudgetPercent())
                    : "p99 " + fmt(s.latencyMs().p99()) + " ms, " + String.format(Locale.ROOT, "%.1f %%", bad) + " bad";
            steps.add(new Results.Step(rate, p99Ok && budgetOk, reason, s));
            progress(String.format(Locale.ROOT, "%s: throughput step %.0f/s: %s (%.0f final/s) %s", flow, rate,
                    p99Ok && budgetOk ? "ok" : "BROKEN", s.finalPerSecond(), reason));
            if (!(p99Ok && budgetOk)) {
                stop = "broke at " + fmt(rate) + "/s: " + reason;
                break;
            }
            lastGood = rate;
        }
        if (stop == null) {
            stop = "highest step passed (" + fmt(lastGood) + "/s); the real maximum is higher";
        }
        return new Results.Throughput(plan.sloP99Ms(), plan.errorBudgetPercent(), steps, lastGood, stop);
    }

    private Results.Audit audit(String flow) {
        progress(flow + ": audit");
        Auditor.Outcome audit = auditor.audit(flow, Set.of(flow), baseline);
        baseline = audit.baseline();
        progress(flow + ": audit " + audit.audit().status() + " " + audit.audit().violationsByFlow());
        return audit.audit();
    }

    // ------------------------------------------------------------------ helpers

    /** Waits until the flow has no PENDING order (the next phase must not pay for this one's backlog). */
    private void settle(String flow) {
        long deadline = System.currentTimeMillis() + (long) (plan.settleSeconds() * 1000);
        long pending = -1;
        while (System.currentTimeMillis() < deadline) {
            try {
                pending = store.pendingOrders(flow, runPrefix);
                if (pending == 0) {
                    return;
                }
            } catch (SQLException e) {
                pending = -1;
            }
            sleep(200);
        }
        progress(flow + ": still " + (pending < 0 ? "unknown (the database holding its orders is unreachable)" : pending) + " PENDING orders after "
                + fmt(plan.settleSeconds()) + " s of settling; going on");
    }

    private void progress(String message) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed(), message);
        out.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }

    static String fmt(Double v) {
        return v == null || v.isNaN() ? "–" : v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> parseFlows(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return java.util.Arrays.stream(Flow.values()).map(Flow::id).toList();
        }
        return requested.stream().map(String::trim).filter(s -> !s.isEmpty()).map(s -> Flow.fromId(s).id()).toList();
    }
}

package io.txlab.loadtests.compare;

import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.loadtests.audit.AuditDatabases;
import io.txlab.loadtests.audit.Auditor;
import io.txlab.loadtests.chaos.OrderStore;
import io.txlab.loadtests.chaos.RecoveryAnalysis;
import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.SampleFile;
import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.report.Targets;
import tools.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One comparison: the floor, then for each flow a probe, warm-up, latency repetitions, throughput steps, a chaos run
 * and an audit; then a final audit and the report. A flow the build does not have is reported MISSING; a phase that
 * fails is reported with its error and the comparison goes on.
 */
public final class Comparison {

    /** Which component a per-flow chaos run kills when {@code --kill} is not given: the one the flow leans on most. */
    public static final Map<String, String> DEFAULT_KILL = Map.of(
            "choreography", Topology.PAYMENT_SERVICE,
            "outbox", Topology.PAYMENT_SERVICE,
            "orchestration", Topology.SAGA_ORCHESTRATOR,
            "twopc", Topology.TWOPC_COORDINATOR,
            "cockroach", Topology.POSTGRES_COCKROACH);

    /**
     * How long after an order the services have surely exported its spans: the devstack sets a 1 s export schedule
     * ({@code Topology.tracingEnvironment}), plus the export itself.
     */
    static final long TRACE_EXPORT_MS = 3000;

    /** How many of the slowest traced orders per flow get their traces saved in the report. */
    static final int SLOWEST_TRACES = 3;

    /** Orders created this soon after the recorded kill instant were already being placed when it happened. */
    static final long IN_FLIGHT_SLACK_MS = 500;

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
    private final StackControl stack;
    private final String killOverride;
    private final String tracingRequest;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final String runPrefix = "cmp" + Long.toString(System.currentTimeMillis(), 36);
    private final GatlingRunner gatling;
    private final OrderStore store;
    private final Auditor auditor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> notes = new ArrayList<>();
    private LoadSettings.TraceMode traceMode = LoadSettings.TraceMode.NONE;

    /** @param tracing {@code auto} (traces A/B when the stack runs Zipkin), {@code ab} or {@code none} */
    public Comparison(Plan plan, List<String> flows, Topology topology, Path repo, Path reportDir, StackControl stack,
                      String killOverride, String tracing, PrintStream out) {
        this.plan = plan;
        this.flows = flows;
        this.topology = topology;
        this.baseUrl = topology.serviceUrl(Topology.ORDER_SERVICE);
        this.repo = repo;
        this.reportDir = reportDir;
        this.stack = stack;
        this.killOverride = killOverride;
        this.tracingRequest = tracing == null ? "auto" : tracing.trim().toLowerCase(Locale.ROOT);
        this.out = out;
        this.gatling = new GatlingRunner(reportDir.resolve("gatling"));
        AuditDatabases dbs = AuditDatabases.of(topology);
        this.store = new OrderStore(dbs.ordersUrl(), dbs.cockroachUrl(), dbs.user(), dbs.password());
        this.auditor = new Auditor(dbs);
    }

    public Results.Comparison run() {
        progress("comparison " + plan.mode() + " of " + String.join(", ", flows) + " against " + baseUrl + " (report: " + reportDir + ")");
        traceMode = resolveTracing();
        Auditor.Baseline baseline = auditor.audit("before", null, Auditor.Baseline.NONE).baseline();
        Results.Floor floor = floor();

        Map<String, Probe> probes = new LinkedHashMap<>();
        for (String flow : flows) {
            Probe probe = probe(flow);
            probes.put(flow, probe);
            progress(flow + ": " + (probe.status().equals("OK") ? "implemented (" + probe.detail() + ")" : probe.status() + " — " + probe.detail()));
        }
        List<String> implemented = probes.entrySet().stream().filter(e -> e.getValue().status().equals("OK")).map(Map.Entry::getKey).toList();
        stackWarmup(implemented);

        List<Results.FlowResult> results = new ArrayList<>();
        for (String flow : flows) {
            Probe probe = probes.get(flow);
            if (!probe.status().equals("OK")) {
                results.add(Results.FlowResult.notMeasured(flow, probe.status(), probe.detail()));
                continue;
            }
            Auditor.Baseline[] holder = {baseline};
            results.add(flow(flow, probe, floor, holder));
            baseline = holder[0];
        }
        if (plan.chaos() && plan.sharedChaos() && !implemented.isEmpty()) {
            Map<String, Results.Chaos> shared = faultRun("shared", implemented,
                    killOverride != null ? killOverride : SHARED_KILL, null, plan.chaosRate(), plan.chaosSeconds());
            results = results.stream().map(r -> shared.containsKey(r.flow()) ? r.withChaos(shared.get(r.flow())) : r).toList();
        }
        progress("final audit");
        Results.Audit finalAudit = auditor.audit("final (all flows, absolute)", null, Auditor.Baseline.NONE).audit();
        Optional<String> pg;
        try {
            pg = Optional.of(store.databaseVersion());
        } catch (SQLException e) {
            pg = Optional.empty();
        }
        Map<String, String> serviceUrls = new LinkedHashMap<>();
        for (String s : List.of(Topology.ORDER_SERVICE, Topology.INVENTORY_SERVICE, Topology.PAYMENT_SERVICE,
                Topology.SAGA_ORCHESTRATOR, Topology.TWOPC_COORDINATOR)) {
            serviceUrls.put(s, topology.serviceUrl(s));
        }
        Results.Settings settings = new Results.Settings(plan.stackWarmupSeconds(), plan.stackWarmupRate(), plan.latencyRate(),
                plan.latencySeconds(), plan.repetitions(), plan.warmupSeconds(), plan.throughputRates(), plan.stepSeconds(),
                plan.sloP99Ms(), plan.errorBudgetPercent(), plan.sharedChaos() ? "shared" : "per-flow", plan.chaosRate(),
                plan.chaosSeconds(), plan.killAtSeconds(), plan.restartAfterSeconds(), plan.recoveryDeadlineSeconds(),
                plan.crashPoints(), plan.crashSeconds(), plan.mix().toString(), plan.seed(), plan.waitForFinalSeconds(),
                traceMode.name().toLowerCase(Locale.ROOT), traceMode == LoadSettings.TraceMode.AB ? zipkinUrl() : null, baseUrl,
                Environment.serviceSettings(repo, serviceUrls));
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
                    + "the flows take turns) and one SIGKILL of " + (killOverride != null ? killOverride : SHARED_KILL)
                    + " that hits them all at the same instant; each flow's recovery is computed from its own orders. "
                    + "--full (or --chaos-mode per-flow) kills each flow's own critical component in a run of its own.");
        }
        return new Results.Comparison(Instant.now().toString(), plan.mode(), elapsed(), Environment.machine(),
                Environment.versions(repo, pg), settings, floor, results, finalAudit, Targets.ALL, List.copyOf(notes));
    }

    public void write(Results.Comparison c) {
        ReportWriter.write(c, reportDir);
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
                Path file = reportDir.resolve("samples").resolve(runId + ".csv");
                SampleFile.write(file, samples);
                Results.RunStats stats = Stats.runStats(runId, plan.latencyRate(), plan.latencySeconds(), samples, true, null,
                        rel(file), reportDir.resolve("samples").resolve(runId + ".hgrm"));
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
        GatlingRunner.Run warm = run(implemented, "stack-warmup", plan.stackWarmupRate(), plan.stackWarmupSeconds(), false);
        Results.RunStats s = stats(warm);
        progress(String.format(Locale.ROOT, "stack warm-up: p50 %s p99 %s ms, %d orders, %d unfinished, %d failed",
                fmt(s.latencyMs().p50()), fmt(s.latencyMs().p99()), s.orders(), s.unfinished(), s.errors()));
        implemented.forEach(this::settle);
    }

    // ------------------------------------------------------------------ one flow

    private Results.FlowResult flow(String flow, Probe probe, Results.Floor floor, Auditor.Baseline[] baseline) {
        String[] backend = backend(flow, probe);
        progress(flow + ": backend " + backend[0] + " (" + backend[1] + "); warm-up " + fmt(plan.warmupSeconds()) + " s");
        run(List.of(flow), "warmup", plan.latencyRate(), plan.warmupSeconds(), false);

        List<Results.RunStats> reps = new ArrayList<>();
        List<OrderSample> latencySamples = new ArrayList<>();
        List<Results.TraceLink> slowTraces = new ArrayList<>();
        List<OrderSample> unfetched = List.of();
        for (int i = 1; i <= plan.repetitions(); i++) {
            GatlingRunner.Run rep = run(List.of(flow), "latency-" + i, plan.latencyRate(), plan.latencySeconds(), i == 1);
            latencySamples.addAll(rep.samples());
            if (traceMode == LoadSettings.TraceMode.AB) {
                // One repetition late: by now the services have exported the previous one's spans (a trace fetched
                // at once misses most of them), and Zipkin's in-memory store, which drops the oldest traces, still
                // has them; the last repetition's are fetched after the throughput steps, which trace nothing.
                slowTraces.addAll(slowestTraces(flow, unfetched));
                unfetched = rep.samples();
            }
            Results.RunStats s = stats(rep);
            reps.add(s);
            progress(String.format(Locale.ROOT, "%s: latency rep %d/%d at %s/s: p50 %s p99 %s ms, %d orders, %d unfinished, %d failed",
                    flow, i, plan.repetitions(), fmt(plan.latencyRate()), fmt(s.latencyMs().p50()), fmt(s.latencyMs().p99()),
                    s.orders(), s.unfinished(), s.errors()));
        }
        Results.Latency latency = Stats.latency(plan.latencyRate(), plan.latencySeconds(), reps);
        Results.Ratio ratio = null;
        if (floor.latency() != null) {
            ratio = new Results.Ratio(latency.median().p50() / floor.latency().median().p50(),
                    latency.median().p99() / floor.latency().median().p99());
        }
        long latencyEnded = System.currentTimeMillis();
        Results.Throughput throughput = plan.throughput() ? throughput(flow) : null;
        Results.Tracing tracing = null;
        if (traceMode == LoadSettings.TraceMode.AB) {
            sleep(Math.max(0, latencyEnded + TRACE_EXPORT_MS - System.currentTimeMillis()));
            slowTraces.addAll(slowestTraces(flow, unfetched));
            tracing = tracing(flow, latencySamples, slowTraces);
        }
        settle(flow);
        Results.Chaos chaos = null;
        if (plan.chaos() && !plan.sharedChaos()) {
            String component = killOverride != null ? killOverride : DEFAULT_KILL.getOrDefault(flow, Topology.PAYMENT_SERVICE);
            chaos = faultRun("per-flow", List.of(flow), component, null, plan.chaosRate(), plan.chaosSeconds()).get(flow);
            // no settle: the fault run already followed its orders until all were final or its deadline passed, and
            // an order still PENDING then (a lost event) would only make a settle wait its whole time for nothing
        }
        Results.Chaos crash = null;
        if (plan.crashPoints()) {
            CrashPoint point = CRASH_POINTS.get(flow);
            if (point == null) {
                crash = Results.Chaos.notRun("crash-point", null, null, List.of(flow),
                        "no crash point: the flow is one transaction, there is no moment between two commits to halt in");
                progress(flow + ": crash point: none (" + crash.error() + ")");
            } else {
                crash = faultRun("crash-point", List.of(flow), point.service(), point.name(), plan.chaosRate(),
                        plan.crashSeconds()).get(flow);
            }
        }
        progress(flow + ": audit");
        Auditor.Outcome audit = auditor.audit(flow, Set.of(flow), baseline[0]);
        baseline[0] = audit.baseline();
        progress(flow + ": audit " + audit.audit().status() + " " + audit.audit().violationsByFlow());
        return new Results.FlowResult(flow, "MEASURED", probe.detail(), backend[0], backend[1], latency, throughput, chaos,
                crash, tracing, audit.audit(), ratio);
    }

    private Results.Throughput throughput(String flow) {
        List<Results.Step> steps = new ArrayList<>();
        Double lastGood = null;
        String stop = null;
        for (double rate : plan.throughputRates()) {
            settle(flow);
            Results.RunStats s = stats(run(List.of(flow), "step-" + (int) rate, rate, plan.stepSeconds(), false));
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

    // ------------------------------------------------------------------ faults

    /**
     * One run with a fault in it, and the recovery of every flow in the run. {@code crashPoint == null}: SIGKILL of
     * {@code component} at {@code killAt}; otherwise the component is first restarted with the {@code chaos} profile
     * and the crash point armed, the run starts, and the fault is the moment the process halts itself (seen within
     * 100 ms). Either way it is restarted (disarmed) {@code restartAfter} seconds later, and the run's orders are
     * followed in the databases until all are final or the deadline passes.
     */
    private Map<String, Results.Chaos> faultRun(String mode, List<String> runFlows, String component, String crashPoint,
                                                double rate, double seconds) {
        String label = mode.equals("shared") ? "shared chaos" : String.join(",", runFlows) + (crashPoint == null ? ": chaos" : ": crash point");
        Set<String> scope = Set.copyOf(runFlows);
        Auditor.Baseline pre = auditor.audit("before " + label, scope, Auditor.Baseline.NONE).baseline();
        if (crashPoint != null) {
            progress(String.format(Locale.ROOT, "%s: restarting %s with the chaos profile and %s armed", label, component, crashPoint));
            try {
                stack.restart(component, Map.of("SPRING_PROFILES_ACTIVE", "chaos", "TXLAB_CHAOS_CRASH_POINTS", crashPoint));
            } catch (RuntimeException e) {
                restartQuietly(component);
                return notRun(mode, component, crashPoint, runFlows, "could not arm the crash point: " + e.getMessage());
            }
            progress(String.format(Locale.ROOT, "%s: %.0f s at %s/s, %s halts itself at %s, restart %s s later",
                    label, seconds, fmt(rate), component, crashPoint, fmt(plan.restartAfterSeconds())));
        } else {
            progress(String.format(Locale.ROOT, "%s: %.0f s at %s/s%s, SIGKILL %s at %s s, restart %s s later", label, seconds,
                    fmt(rate), runFlows.size() > 1 ? " (" + String.join(", ", runFlows) + " in turn)" : "", component,
                    fmt(plan.killAtSeconds()), fmt(plan.restartAfterSeconds())));
        }
        AtomicLong faultAt = new AtomicLong();
        AtomicLong restartBegan = new AtomicLong();
        AtomicLong healthyAt = new AtomicLong();
        AtomicReference<String> error = new AtomicReference<>();
        long runEnd = System.currentTimeMillis() + (long) (seconds * 1000) + 2000;
        Thread faultThread = new Thread(() -> {
            try {
                if (crashPoint == null) {
                    Thread.sleep((long) (plan.killAtSeconds() * 1000));
                    faultAt.set(stack.kill(component));
                    progress(label + ": killed " + component);
                } else {
                    while (System.currentTimeMillis() < runEnd && listening(component)) {
                        Thread.sleep(100);
                    }
                    if (listening(component)) {
                        error.set("the crash point " + crashPoint + " was never reached during the run");
                        progress(label + ": " + error.get());
                        return;
                    }
                    faultAt.set(System.currentTimeMillis());
                    progress(label + ": " + component + " halted itself at " + crashPoint);
                }
                Thread.sleep((long) (plan.restartAfterSeconds() * 1000));
                restartBegan.set(System.currentTimeMillis());
                stack.restart(component);
                healthyAt.set(System.currentTimeMillis());
                progress(label + ": " + component + " healthy again after " + fmt((healthyAt.get() - restartBegan.get()) / 1000.0) + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error.set("interrupted");
            } catch (RuntimeException e) {
                error.set(e.getMessage());
                progress(label + ": chaos action failed: " + e.getMessage());
            }
        }, "chaos-" + mode);
        faultThread.setDaemon(true);
        long gatlingCalled = System.currentTimeMillis();
        faultThread.start();
        String phase = mode.equals("crash-point") ? "crash" : "chaos";
        GatlingRunner.Run run = run(runFlows, phase, rate, seconds, true);
        try {
            faultThread.join(Duration.ofSeconds(180).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (crashPoint != null && healthyAt.get() == 0) {
            // never halted (or the restart failed): the service must not stay armed for the rest of the comparison
            restartQuietly(component);
        }
        long t0 = run.samples().stream().mapToLong(OrderSample::startEpochMs).min().orElse(gatlingCalled);
        if (faultAt.get() == 0) {
            Map<String, Results.Chaos> none = new LinkedHashMap<>();
            for (String flow : runFlows) {
                List<OrderSample> samples = ofFlow(run.samples(), flow);
                none.put(flow, new Results.Chaos(mode, component, crashPoint, runFlows, rate, seconds, null, null, null, 0,
                        null, null, null, 0, List.of(), plan.recoveryDeadlineSeconds(), RecoveryAnalysis.timeline(samples, t0),
                        stats(run, flow, samples), null, error.get() == null ? "the fault did not happen" : error.get()));
            }
            return none;
        }
        long deadline = (healthyAt.get() > 0 ? healthyAt.get() : System.currentTimeMillis()) + (long) (plan.recoveryDeadlineSeconds() * 1000);
        List<OrderStore.StoredOrder> orders = List.of();
        while (true) {
            try {
                orders = store.ordersOfRun(run.settings().runId());
                if (orders.stream().allMatch(o -> o.completedEpochMs() != null)) {
                    break;
                }
            } catch (SQLException e) {
                // a killed database may be one of those asked; keep asking until the deadline
            }
            if (System.currentTimeMillis() > deadline) {
                break;
            }
            sleep(250);
        }
        // the orders being final is not the end of a 2PC recovery: branches can still be prepared (e.g. the order's
        // committed, the inventory's not yet); audit once they are resolved, or at the deadline
        while (System.currentTimeMillis() <= deadline && auditor.preparedTransactionsLeft()) {
            sleep(250);
        }
        progress(label + ": audit");
        Results.Audit audit = auditor.audit(label, scope, pre).audit();
        progress(label + ": audit " + audit.status() + " " + audit.violationsByFlow());
        long kill = faultAt.get();
        long healthy = healthyAt.get();
        Map<String, Results.Chaos> byFlow = new LinkedHashMap<>();
        for (String flow : runFlows) {
            List<OrderSample> samples = ofFlow(run.samples(), flow);
            List<OrderStore.StoredOrder> mine = orders.stream().filter(o -> o.flow().equals(flow)).toList();
            // created_at is the service's clock at the start of its transaction: a request whose commit was on its
            // way when the process died can carry a timestamp a few milliseconds after the kill was recorded
            List<OrderStore.StoredOrder> inFlight = mine.stream()
                    .filter(o -> o.createdEpochMs() < kill + IN_FLIGHT_SLACK_MS
                            && (o.completedEpochMs() == null || o.completedEpochMs() >= kill)).toList();
            List<OrderStore.StoredOrder> affected = mine.stream()
                    .filter(o -> o.createdEpochMs() < (healthy > 0 ? healthy : Long.MAX_VALUE)
                            && (o.completedEpochMs() == null || o.completedEpochMs() >= kill)).toList();
            boolean allInFlightFinal = inFlight.stream().allMatch(o -> o.completedEpochMs() != null);
            boolean allAffectedFinal = affected.stream().allMatch(o -> o.completedEpochMs() != null);
            Double afterKill = allInFlightFinal ? inFlight.stream().mapToLong(OrderStore.StoredOrder::completedEpochMs).max()
                    .stream().mapToDouble(m -> (m - kill) / 1000.0).findFirst().orElse(0.0) : null;
            Double afterRestart = healthy > 0 && allAffectedFinal ? Math.max(0, affected.stream()
                    .mapToLong(OrderStore.StoredOrder::completedEpochMs).max().orElse(healthy) - healthy) / 1000.0 : null;
            List<String> notFinal = mine.stream().filter(o -> o.completedEpochMs() == null).map(OrderStore.StoredOrder::id).toList();
            Double p99Back = RecoveryAnalysis.p99BackUnderSlo(samples, t0, kill, plan.sloP99Ms());
            progress(String.format(Locale.ROOT, "%s: %s: %d in flight at the fault, all final %s s after it / %s s after the restart, "
                            + "p99 under SLO again %s s after it, %d not final at the deadline", label, flow, inFlight.size(),
                    fmt(afterKill), fmt(afterRestart), fmt(p99Back), notFinal.size()));
            byFlow.put(flow, new Results.Chaos(mode, component, crashPoint, runFlows, rate, seconds, (kill - t0) / 1000.0,
                    restartBegan.get() > 0 ? (restartBegan.get() - t0) / 1000.0 : null, healthy > 0 ? (healthy - t0) / 1000.0 : null,
                    inFlight.size(), afterKill, afterRestart, p99Back, notFinal.size(), notFinal.stream().limit(50).toList(),
                    plan.recoveryDeadlineSeconds(), RecoveryAnalysis.timeline(samples, t0), stats(run, flow, samples), audit,
                    error.get()));
        }
        return byFlow;
    }

    private Map<String, Results.Chaos> notRun(String mode, String component, String crashPoint, List<String> runFlows, String why) {
        progress(String.join(",", runFlows) + ": " + mode + " not run: " + why);
        Map<String, Results.Chaos> none = new LinkedHashMap<>();
        runFlows.forEach(f -> none.put(f, Results.Chaos.notRun(mode, component, crashPoint, runFlows, why)));
        return none;
    }

    /**
     * Whether the component accepts TCP connections on its port: a process that halted itself stops listening at
     * once, and a connect needs no answer from a service that is busy under load.
     */
    private boolean listening(String component) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", topology.component(component).port()), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void restartQuietly(String component) {
        try {
            stack.restart(component);
        } catch (RuntimeException e) {
            progress("could not restart " + component + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ tracing

    private LoadSettings.TraceMode resolveTracing() {
        boolean zipkin = zipkinUp();
        switch (tracingRequest) {
            case "none", "off" -> {
                progress("tracing: off (--tracing none)");
                return LoadSettings.TraceMode.NONE;
            }
            case "ab" -> {
                if (!zipkin) {
                    notes.add("--tracing ab without Zipkin at " + zipkinUrl() + ": traces were started but not collected.");
                }
                progress("tracing: A/B (every other order sampled)" + (zipkin ? ", Zipkin at " + zipkinUrl() : ", no Zipkin"));
                return LoadSettings.TraceMode.AB;
            }
            case "auto" -> {
                if (zipkin) {
                    progress("tracing: Zipkin at " + zipkinUrl() + ": A/B (every other order sampled, overhead = traced vs untraced)");
                    return LoadSettings.TraceMode.AB;
                }
                progress("tracing: no Zipkin at " + zipkinUrl() + ": orders carry no trace context (services sample nothing)");
                notes.add("Tracing was off: no Zipkin ran at " + zipkinUrl() + ", so no traces and no tracing overhead were measured.");
                return LoadSettings.TraceMode.NONE;
            }
            default -> throw new IllegalArgumentException("--tracing must be auto, ab or none, got '" + tracingRequest + "'");
        }
    }

    private String zipkinUrl() {
        return "http://127.0.0.1:" + topology.component(Topology.ZIPKIN).port();
    }

    private boolean zipkinUp() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(zipkinUrl() + "/health"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The slowest traced orders of one run, with their traces as Zipkin has them right after the run. */
    private List<Results.TraceLink> slowestTraces(String flow, List<OrderSample> samples) {
        boolean zipkin = zipkinUp();
        return samples.stream().filter(s -> s.outcome().isFinal() && s.traced())
                .sorted(Comparator.comparingLong(OrderSample::latencyMicros).reversed()).limit(SLOWEST_TRACES)
                .map(s -> zipkin ? fetchTrace(flow, s) : new Results.TraceLink(s.orderId(), s.traceId(), s.latencyMicros() / 1000.0,
                        0, null, null))
                .toList();
    }

    /** Traced vs untraced orders of the latency repetitions, and the slowest traced ones with their traces. */
    private Results.Tracing tracing(String flow, List<OrderSample> samples, List<Results.TraceLink> candidates) {
        List<OrderSample> traced = samples.stream().filter(s -> s.outcome().isFinal() && s.traced()).toList();
        List<OrderSample> untraced = samples.stream().filter(s -> s.outcome().isFinal() && !s.traced()).toList();
        Results.Percentiles t = Stats.percentiles(Stats.histogram(traced));
        Results.Percentiles u = Stats.percentiles(Stats.histogram(untraced));
        Double p50 = overhead(t.p50(), u.p50());
        Double p99 = overhead(t.p99(), u.p99());
        List<Results.TraceLink> slowest = candidates.stream()
                .sorted(Comparator.comparingDouble(Results.TraceLink::latencyMs).reversed()).limit(SLOWEST_TRACES).toList();
        // each repetition's slowest were saved as candidates; the report keeps only the traces it links
        candidates.stream().filter(c -> !slowest.contains(c) && c.file() != null).forEach(c -> {
            try {
                Files.deleteIfExists(reportDir.resolve(c.file()));
            } catch (java.io.IOException e) {
                progress("could not remove " + c.file() + ": " + e.getMessage());
            }
        });
        boolean zipkin = zipkinUp();
        progress(String.format(Locale.ROOT, "%s: tracing: traced p50 %s / untraced %s ms (%s %%), p99 %s / %s ms; slowest traces %s",
                flow, fmt(t.p50()), fmt(u.p50()), p50 == null ? "–" : String.format(Locale.ROOT, "%+.1f", p50), fmt(t.p99()),
                fmt(u.p99()), slowest.stream().map(l -> l.traceId() + " (" + l.spans() + " spans)").toList()));
        return new Results.Tracing(traced.size(), untraced.size(), t, u, p50, p99, slowest,
                zipkin ? "traces saved from Zipkin's in-memory store; open them in any Zipkin UI (Upload JSON)" : "Zipkin not reachable");
    }

    private static Double overhead(double traced, double untraced) {
        return Double.isNaN(traced) || Double.isNaN(untraced) || untraced <= 0 ? null : (traced / untraced - 1) * 100;
    }

    /** The trace as Zipkin has it, saved next to the report; waits up to 5 s for the services' reporters to flush. */
    private Results.TraceLink fetchTrace(String flow, OrderSample s) {
        String url = zipkinUrl() + "/zipkin/traces/" + s.traceId();
        long deadline = System.currentTimeMillis() + 5000;
        int spans = 0;
        String body = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(zipkinUrl() + "/api/v2/trace/" + s.traceId()))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    body = r.body();
                    spans = ReportWriter.JSON.readTree(body).size();
                    break;
                }
            } catch (java.io.IOException | RuntimeException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(500);
        }
        String file = null;
        if (body != null) {
            Path p = reportDir.resolve("traces").resolve(flow + "-" + s.traceId() + ".json");
            try {
                Files.createDirectories(p.getParent());
                Files.writeString(p, body);
                file = rel(p);
            } catch (java.io.IOException e) {
                progress("could not save trace " + s.traceId() + ": " + e.getMessage());
            }
        }
        return new Results.TraceLink(s.orderId(), s.traceId(), s.latencyMicros() / 1000.0, spans, url, file);
    }

    // ------------------------------------------------------------------ helpers

    private record Probe(String status, String detail, JsonNode order) {
    }

    /** One order through the flow: MISSING on the service's 422 "not implemented", FAILED when it cannot finish one. */
    private Probe probe(String flow) {
        String key = runPrefix + "-probe-" + flow;
        String body = "{\"customerId\":\"C-0001\",\"flow\":\"" + flow + "\",\"lines\":[{\"sku\":\"SKU-0001\",\"quantity\":1,\"unitPrice\":11.00}]}";
        try {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
                    .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (post.statusCode() == 422 && post.body().contains("not implemented")) {
                return new Probe("MISSING", "order-service answers 422: " + problemDetail(post.body()), null);
            }
            if (post.statusCode() != 201 && post.statusCode() != 200) {
                return new Probe("FAILED", "probe POST /orders answered " + post.statusCode() + ": " + problemDetail(post.body()), null);
            }
            String id = ReportWriter.JSON.readTree(post.body()).path("id").asString();
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders/" + id + "?waitForFinal=15s"))
                    .timeout(Duration.ofSeconds(25)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode order = ReportWriter.JSON.readTree(get.body());
            String status = order.path("status").asString();
            if (!status.equals("CONFIRMED")) {
                return new Probe("FAILED", "probe order " + id + " ended " + status + " " + order.path("reason").asString()
                        + " (expected CONFIRMED within 15 s)", order);
            }
            return new Probe("OK", "probe order " + id + " CONFIRMED", order);
        } catch (java.io.IOException | RuntimeException e) {
            return new Probe("FAILED", "order-service unreachable at " + baseUrl + ": " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe("FAILED", "interrupted", null);
        }
    }

    /**
     * The backend as the service reports it (order JSON {@code backend}, or {@code /actuator/info}
     * {@code txlab.<flow>.backend}); never assumed. Returns {name, source}.
     */
    private String[] backend(String flow, Probe probe) {
        if (probe.order() != null && probe.order().hasNonNull("backend")) {
            return new String[] {probe.order().get("backend").asString(), "order JSON field backend"};
        }
        Optional<JsonNode> info = Environment.info(baseUrl);
        if (info.isPresent()) {
            JsonNode node = info.get().path("txlab").path(flow).path("backend");
            if (node.isValueNode()) {
                return new String[] {node.asString(), "order-service /actuator/info txlab." + flow + ".backend"};
            }
        }
        if (flow.equals("cockroach")) {
            return new String[] {"not reported by the service", "neither the order JSON nor /actuator/info names it"};
        }
        return new String[] {"devstack PostgreSQL clusters" + (flow.equals("orchestration") ? " + Temporal test server"
                : flow.equals("twopc") ? " (PREPARE TRANSACTION)" : " + Kafka broker"), "devstack topology"};
    }

    /**
     * One Gatling run. With tracing on, the warm-ups and latency runs trace every other order (A/B); the throughput
     * steps and the chaos runs send unsampled contexts only, so capacity and recovery are measured with tracing
     * configured but not recording, as with a low production sampling rate, and Zipkin is not flooded.
     */
    private GatlingRunner.Run run(List<String> runFlows, String phase, double rate, double seconds, boolean html) {
        String runId = runPrefix + "-" + (runFlows.size() == 1 ? runFlows.get(0) : "all") + "-" + phase;
        boolean measuresTracing = phase.contains("warmup") || phase.startsWith("latency");
        LoadSettings.TraceMode mode = traceMode == LoadSettings.TraceMode.NONE ? LoadSettings.TraceMode.NONE
                : measuresTracing ? LoadSettings.TraceMode.AB : LoadSettings.TraceMode.UNSAMPLED;
        LoadSettings settings = new LoadSettings(String.join(",", runFlows), rate, seconds(seconds), plan.mix(),
                plan.seed() + phase.hashCode(), baseUrl, runId, reportDir.resolve("samples").resolve(runId + ".csv"),
                plan.waitForFinalSeconds(), (int) plan.sloP99Ms(), plan.errorBudgetPercent(), mode, phase.equals("stack-warmup"));
        return gatling.run(settings, html);
    }

    private Results.RunStats stats(GatlingRunner.Run run) {
        LoadSettings s = run.settings();
        return Stats.runStats(s.runId(), s.rate(), s.duration().toMillis() / 1000.0, run.samples(), run.assertionsPassed(),
                run.htmlReport().map(this::rel).orElse(null), rel(s.recordFile()),
                reportDir.resolve("samples").resolve(s.runId() + ".hgrm"));
    }

    /** One flow's share of a run several flows took turns in (its rate is its share of the run's rate). */
    private Results.RunStats stats(GatlingRunner.Run run, String flow, List<OrderSample> samples) {
        LoadSettings s = run.settings();
        if (s.flows().size() == 1) {
            return stats(run);
        }
        String id = s.runId() + "-" + flow;
        return Stats.runStats(id, s.rate() / s.flows().size(), s.duration().toMillis() / 1000.0, samples, run.assertionsPassed(),
                run.htmlReport().map(this::rel).orElse(null), rel(s.recordFile()), reportDir.resolve("samples").resolve(id + ".hgrm"));
    }

    private static List<OrderSample> ofFlow(List<OrderSample> samples, String flow) {
        return samples.stream().filter(s -> s.flow().equals(flow)).toList();
    }

    /** Waits until the flow has no PENDING order (the next phase must not pay for this one's backlog). */
    private void settle(String flow) {
        long deadline = System.currentTimeMillis() + (long) (plan.settleSeconds() * 1000);
        long pending = -1;
        while (System.currentTimeMillis() < deadline) {
            try {
                pending = store.pendingOrders(flow);
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

    private String rel(Path p) {
        Path abs = p.toAbsolutePath();
        Path base = reportDir.toAbsolutePath();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }

    private static String problemDetail(String body) {
        try {
            JsonNode n = ReportWriter.JSON.readTree(body);
            return n.hasNonNull("detail") ? n.get("detail").asString() : body;
        } catch (RuntimeException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
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

    private static void sleep(long ms) {
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

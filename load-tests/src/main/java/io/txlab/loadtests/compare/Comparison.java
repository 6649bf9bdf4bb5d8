package io.txlab.loadtests.compare;

import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.devstack.stack.StackState;
import io.txlab.loadtests.audit.AuditDatabases;
import io.txlab.loadtests.audit.Auditor;
import io.txlab.loadtests.chaos.OrderStore;
import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.measure.ResourceMeter;
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
 * One comparison, in this order: probe every flow; a discarded warm-up of the whole stack; the idle stack's own cost;
 * each lane (the floor, then every flow) alone until its CPU per order is steady; latency with each lane alone in
 * repetitions whose lane order rotates, whose pooled cost is the lane's CPU figure; each flow's knee alone; tracing's cost as a pair of runs
 * (when planned); the fault runs; the network-distance sweep (when planned); the audits; each flow's mechanism
 * alone (when planned); the 2PC tax (when planned); the report. A flow the build does not have is reported MISSING; a phase
 * that fails is reported with its error and the comparison goes on. No run but the tracing pair records a span.
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
            "choreography", new CrashPoint(Topology.PAYMENT_SERVICE, CrashPointNames.CHOREOGRAPHY_AFTER_COMMIT_BEFORE_PUBLISH,
                    "payment committed, PaymentAuthorized/Declined not yet published"),
            "outbox", new CrashPoint(Topology.PAYMENT_SERVICE, CrashPointNames.OUTBOX_AFTER_COMMIT_BEFORE_RELAY,
                    "payment and its outbox row committed, the relay read it but did not publish"),
            "orchestration", new CrashPoint(Topology.PAYMENT_SERVICE, CrashPointNames.ORCHESTRATION_AFTER_AUTHORIZE_COMMIT,
                    "the authorize activity committed but did not report back to Temporal"),
            "twopc", new CrashPoint(Topology.TWOPC_COORDINATOR, CrashPointNames.TWOPC_AFTER_DECISION_LOGGED,
                    "every participant prepared, COMMIT logged, no participant told yet"));

    private final Plan plan;
    private final List<String> flows;
    private final Topology topology;
    private final String baseUrl;
    private final Path repo;
    private final Path runDir;
    private final Path reportDir;
    private final String killOverride;
    /** Whether the stack keeps running after the comparison ({@code --reuse-stack}, {@code --keep-stack}). */
    private final boolean stackOutlivesRun;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final String runPrefix = "cmp" + Long.toString(System.currentTimeMillis(), 36);
    private final OrderStore store;
    private final Auditor auditor;
    private final LoadRuns runs;
    private final FlowProbe probe;
    private final FaultRuns faults;
    private final SteadyState steady;
    private final TracingPair tracing;
    private final StackControl stack;
    private final List<String> notes = new ArrayList<>();
    /** Each measured flow's whole-stack CPU ms per order, once the latency phase ran: it sets the fault runs' rate. */
    private final Map<String, Double> cpuPerOrder = new java.util.concurrent.ConcurrentHashMap<>();
    /** What the last audit left (stock, money, ...): the next audit counts from it. */
    private Auditor.Baseline baseline = Auditor.Baseline.NONE;
    private final HttpClient http;
    private final AuditDatabases dbs;

    public Comparison(Plan plan, List<String> flows, Topology topology, Path repo, Path runDir, Path reportDir,
                      StackControl stack, String killOverride, boolean stackOutlivesRun, PrintStream out) {
        this.stackOutlivesRun = stackOutlivesRun;
        this.plan = plan;
        this.flows = flows;
        this.topology = topology;
        this.baseUrl = topology.serviceUrl(Topology.ORDER_SERVICE);
        this.repo = repo;
        this.runDir = runDir;
        this.reportDir = reportDir;
        this.killOverride = killOverride;
        this.stack = stack;
        this.out = out;
        AuditDatabases dbs = AuditDatabases.of(topology);
        this.dbs = dbs;
        this.store = new OrderStore(dbs.ordersUrl(), dbs.cockroachUrl(), dbs.user(), dbs.password());
        this.auditor = new Auditor(dbs, runPrefix);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.runs = new LoadRuns(plan, baseUrl, runPrefix, reportDir, new ResourceMeter(runDir));
        this.probe = new FlowProbe(http, baseUrl, runPrefix);
        this.http = http;
        this.faults = new FaultRuns(plan, topology, stack, runs, store, auditor, cpuPerOrder::get, runDir,
                this::warmup, this::progress);
        this.steady = new SteadyState(plan, runs, this::progress);
        this.tracing = new TracingPair(plan, runs, topology, reportDir, http, this::settle, this::progress);
    }

    public Results.Comparison run() {
        progress("comparison " + plan.mode() + " of " + String.join(", ", flows) + " against " + baseUrl + " (report: " + reportDir + ")");
        progress("machine: " + ReportWriter.machine(Environment.machine()));
        baseline = auditor.audit("before", null, Auditor.Baseline.NONE).baseline();
        Map<String, FlowProbe.Result> probes = probeAll();
        List<String> implemented = flows.stream().filter(f -> probes.get(f).ok()).toList();
        stackWarmup(implemented);
        Results.SteadyState idle = idle();

        FloorBenchmark bench = new FloorBenchmark(topology.jdbcUrl(FloorBenchmark.CLUSTER, "txlab"), "txlab", "txlab");
        try {
            Results.FlowResult floor = floorSteady(bench);
            FloorBenchmark floorLane = floor.status().equals("MEASURED") ? bench : null;
            Map<String, Results.FlowResult> results = new LinkedHashMap<>();
            for (String flow : flows) {
                FlowProbe.Result probed = probes.get(flow);
                results.put(flow, probed.ok() ? flowSteady(flow, probed) : Results.FlowResult.notMeasured(flow, probed.status(), probed.detail()));
            }
            List<Results.RunStats> latencyRuns = List.of();
            if (!implemented.isEmpty() || floorLane != null) {
                LatencyPhase.Outcome latency = new LatencyPhase(plan, runs, this::progress).run(implemented, floorLane, runPrefix);
                latencyRuns = latency.runs();
                implemented.forEach(this::settle);
                Results.Latency floorLatency = latency.byLane().get("floor");
                if (floorLatency != null) {
                    floor = floor.withLatency(floorLatency, new Results.Ratio(1.0, 1.0, 1.0));
                }
                for (String flow : implemented) {
                    Results.Latency l = latency.byLane().get(flow);
                    Results.FlowResult measured = results.get(flow).withLatency(l, null);
                    results.put(flow, measured.withLatency(l, ratio(l, measured.cpu(), floor)));
                }
                baseline = auditor.audit("latency (all flows)", Set.copyOf(implemented), baseline).baseline();
            }
            bench.drop();
            for (String flow : implemented) {
                Results.Resources cpu = results.get(flow).cpu();
                if (cpu != null) {
                    cpuPerOrder.put(flow, cpu.totalCpuMsPerOrder());
                }
            }
            for (String flow : implemented) {
                results.put(flow, flowLoadAndFaults(results.get(flow)));
            }
            Results.TracingCost tracingCost = tracingPair(implemented);
            if (plan.chaos() && plan.sharedChaos() && !implemented.isEmpty()) {
                Map<String, Results.Chaos> shared = faults.shared(implemented, sharedVictim());
                shared.forEach((flow, chaos) -> results.put(flow, results.get(flow).withChaos(chaos)));
            }
            if (plan.chaos() && !implemented.isEmpty()) {
                // A database and the broker, each SIGKILLed once under every flow's load at the same instant; a link
                // partitioned the same way.
                for (String fault : plan.infraFaults()) {
                    Map<String, Results.Chaos> run = faults.infra(implemented, fault);
                    run.forEach((flow, chaos) -> results.put(flow, results.get(flow).withInfraFault(chaos)));
                }
            }
            Results.Anomalies anomalies = null;
            if (plan.anomalyBursts() > 0 && !implemented.isEmpty()) {
                // before the deadlines: this phase needs no link proxy, that one restarts the services behind it
                anomalies = new AnomalyPhase(plan.anomalyBursts(), dbs, http, baseUrl, runPrefix, this::settle,
                        this::auditFlow, this::progress).run(implemented);
            }
            Results.Deadlines deadlines = null;
            if (plan.deadlineOrders() > 0 && !implemented.isEmpty()) {
                // before the sweep: both need the link proxy, and this one's orders are few
                deadlines = new DeadlinePhase(plan, stack, faults, http, baseUrl, runPrefix, this::settle,
                        restarted -> warmup(restarted, "deadline-warmup", "deadlines: warm-up after the restart"),
                        this::auditFlow, auditor::returned, this::progress).run(implemented);
            }
            Results.NetworkDistance network = null;
            if (!plan.rttMs().isEmpty() && !implemented.isEmpty()) {
                // last of the load runs: it restarts the services behind the link proxy, which they stay behind
                network = new NetworkDistance(plan, runs, stack, faults, this::settle,
                        restarted -> warmup(restarted, "rtt-warmup", "network distance: warm-up after the restart"),
                        this::progress).run(implemented);
            }
            progress("final audit");
            Results.Audit finalAudit = auditor.audit("final (all flows, absolute)", null, Auditor.Baseline.NONE).audit();
            // after the last audit: the floors stop the services and write to databases of their own
            Results.MechanismFloors mechanismFloors = plan.mechanismFloors() && !MechanismFloors.withFloor(implemented).isEmpty()
                    ? new MechanismFloors(repo, reportDir, runDir, topology, stack, stackOutlivesRun, this::progress)
                    .run(implemented, plan.rate(),
                    (int) Math.round(plan.mechanismFloorSeconds()))
                    : null;
            Results.TwopcTax twopcTax = plan.twopcBench().equals(TwopcTax.OFF) ? null
                    : new TwopcTax(repo, reportDir, this::progress).run(plan.twopcBench(), 20);
            addNotes(tracingCost);
            return new Results.Comparison(Instant.now().toString(), plan.mode(), elapsed(), Environment.machine(),
                    Environment.versions(repo, databaseVersion()), settings(), idle, floor, List.copyOf(results.values()),
                    latencyRuns, tracingCost, network, twopcTax, mechanismFloors, deadlines, anomalies, finalAudit, Targets.ALL, List.copyOf(notes));
        } finally {
            bench.drop();
        }
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

    // ------------------------------------------------------------------ warm-up and idle

    private void stackWarmup(List<String> implemented) {
        warmup(implemented, "stack-warmup", "stack warm-up");
    }

    /**
     * A discarded run of every flow in turn, ramping to the plan's warm-up rate over its warm-up seconds, then settled.
     * {@code phase} is part of its run id, so each warm-up places orders of its own.
     */
    private void warmup(List<String> implemented, String phase, String label) {
        if (implemented.isEmpty() || plan.stackWarmupSeconds() <= 0) {
            return;
        }
        int seconds = (int) Math.round(plan.stackWarmupSeconds());
        progress(String.format(Locale.ROOT, "%s: %d s ramping to %s orders/s, %s in turn (discarded)",
                label, seconds, fmt(plan.stackWarmupRate()), String.join(", ", implemented)));
        GatlingRunner.Run warm = runs.run(LoadRuns.Spec.constant(implemented, phase, plan.stackWarmupRate(), 0)
                .ramped(seconds, Math.max(1, plan.stackWarmupRate() / 10)), control -> { });
        Results.RunStats s = runs.stats(warm, warm.samples(), null);
        progress(String.format(Locale.ROOT, "%s: p50 %s p99 %s ms, %d orders, %d unfinished, %d failed",
                label, fmt(s.latencyMs().p50()), fmt(s.latencyMs().p99()), s.orders(), s.unfinished(), s.errors()));
        implemented.forEach(this::settle);
    }

    /**
     * The stack's own cost with no orders at all, after the warm-up's backlog is gone: in windows until it settles
     * (ADR 42); the last window is the figure.
     */
    private Results.SteadyState idle() {
        sleep(1000);
        Results.SteadyState idle = steady.idle();
        Results.Resources last = idle.cpu();
        StringBuilder top = new StringBuilder();
        last.percentOfCore().entrySet().stream().filter(e -> !e.getKey().equals(ResourceMeter.LOAD_GENERATOR))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(4)
                .forEach(e -> top.append(String.format(Locale.ROOT, " %s %.1f %%,", e.getKey(), e.getValue())));
        progress(String.format(Locale.ROOT, "idle stack: %.1f %% of one core in total (target ≤ %.0f %%);%s machine %.0f %% busy",
                last.stackPercentOfCore(), Targets.IDLE_PERCENT_OF_CORE, top, last.machineBusyPercent()));
        return idle;
    }

    // ------------------------------------------------------------------ lanes alone

    private Results.FlowResult floorSteady(FloorBenchmark bench) {
        String where = bench.where();
        try {
            progress("floor: preparing " + where);
            bench.prepare();
            Results.SteadyState s = steady.floor(bench, runPrefix);
            return new Results.FlowResult("floor", "MEASURED", "one local PostgreSQL transaction per order from the load generator, "
                    + "8 connections", "postgresql-local-transaction", where, s, null, null, null, null, null, null);
        } catch (SQLException e) {
            progress("floor: not measured: " + e.getMessage());
            return Results.FlowResult.notMeasured("floor", "FAILED", "could not run on " + where + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Results.FlowResult.notMeasured("floor", "FAILED", "interrupted");
        }
    }

    private Results.FlowResult flowSteady(String flow, FlowProbe.Result probed) {
        FlowProbe.Backend backend = probe.backend(flow, probed);
        progress(flow + ": backend " + backend.name() + " (" + backend.source() + "); alone at " + fmt(plan.rate())
                + "/s until CPU per order is steady");
        Results.SteadyState s = steady.flow(flow);
        settle(flow);
        return new Results.FlowResult(flow, "MEASURED", probed.detail(), backend.name(), backend.source(), s, null, null,
                null, null, null, null);
    }

    /** After the latency phase: the flow's knee, its own fault runs, its audit. */
    private Results.FlowResult flowLoadAndFaults(Results.FlowResult f) {
        String flow = f.flow();
        Results.Throughput throughput = plan.throughput()
                ? new KneeSearch(plan, runs, this::settle, this::progress, this::restartStopped).search(flow, f.cpu()) : null;
        settle(flow);
        // no settle after a fault run: it already followed its orders until all were final or its deadline passed
        Results.Chaos chaos = plan.chaos() && !plan.sharedChaos() ? faults.perFlow(flow, ownVictim(flow)) : null;
        Results.Chaos crash = plan.crashPoints() ? faults.crashPoint(flow, CRASH_POINTS.get(flow)) : null;
        Results.Audit audit = audit(flow);
        return new Results.FlowResult(flow, f.status(), f.detail(), f.backend(), f.backendSource(), f.steady(), f.latency(),
                throughput, chaos, crash, audit, f.vsFloor(), f.infra());
    }

    private Results.TracingCost tracingPair(List<String> implemented) {
        if (!plan.tracingPair() || implemented.isEmpty()) {
            return null;
        }
        if (!tracing.zipkinUp()) {
            notes.add("Tracing's cost was not measured: no Zipkin answered at " + tracing.zipkinUrl() + ".");
            progress("tracing: no Zipkin at " + tracing.zipkinUrl() + ": tracing pair skipped");
            return null;
        }
        return tracing.run(implemented);
    }

    /** A lane's p50, p99 and CPU per order as multiples of the floor's; null when the floor was not measured. */
    private static Results.Ratio ratio(Results.Latency latency, Results.Resources cpu, Results.FlowResult floor) {
        if (floor.latency() == null || latency == null) {
            return null;
        }
        Results.Resources floorCpu = floor.cpu();
        return new Results.Ratio(div(latency.pooled().p50(), floor.latency().pooled().p50()),
                div(latency.pooled().p99(), floor.latency().pooled().p99()),
                cpu == null || floorCpu == null ? null : div(cpu.totalCpuMsPerOrder(), floorCpu.totalCpuMsPerOrder()));
    }

    private static Double div(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? null : a / b;
    }

    private Results.Audit audit(String flow) {
        progress(flow + ": audit");
        Auditor.Outcome audit = auditor.audit(flow, Set.of(flow), baseline);
        baseline = audit.baseline();
        progress(flow + ": audit " + audit.audit().status() + " " + audit.audit().violationsByFlow());
        return audit.audit();
    }

    // ------------------------------------------------------------------ settings and notes

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

    private Results.Settings settings() {
        Map<String, String> serviceUrls = new LinkedHashMap<>();
        for (String s : List.of(Topology.ORDER_SERVICE, Topology.INVENTORY_SERVICE, Topology.PAYMENT_SERVICE,
                Topology.SAGA_ORCHESTRATOR, Topology.TWOPC_COORDINATOR)) {
            serviceUrls.put(s, topology.serviceUrl(s));
        }
        return new Results.Settings(plan.rate(), plan.stackWarmupSeconds(), plan.stackWarmupRate(), plan.idleSeconds(),
                plan.windowSeconds(), plan.steadyTolerance(), plan.maxWarmupSeconds(), plan.repetitions(),
                plan.repetitionSeconds(), plan.minP99Samples(), plan.stepSeconds(), plan.rampSeconds(), plan.maxSteps(),
                plan.sloP99Ms(), plan.errorBudgetPercent(), plan.tracingPair(), plan.tracingSeconds(),
                plan.sharedChaos() ? "shared" : "per-flow", plan.chaosRate(), plan.chaosBusy(), plan.chaosSeconds(), plan.killAtSeconds(),
                plan.restartAfterSeconds(), plan.recoveryDeadlineSeconds(), plan.crashPoints(), plan.crashSeconds(),
                plan.mix().toString(), plan.seed(), plan.waitForFinalSeconds(),
                plan.tracingPair() ? "off in every run but the tracing pair" : "off (no run records a span)",
                baseUrl, Environment.serviceSettings(repo, serviceUrls));
    }

    private void addNotes(Results.TracingCost tracingCost) {
        notes.add("CPU per order is the CPU time (user + system) of every stack process tree and of the load generator over "
                + "a measurement window, divided by the orders that finished in it; it includes what the stack spends when "
                + "idle (see the idle row). A lane's figure is pooled over its latency repetitions (the lane running alone, after "
                + "its steady-state warm-up).");
        notes.add("The floor is one PostgreSQL transaction from the load generator over JDBC: no HTTP, no second service; "
                + "flows pay at least two HTTP round trips (POST + long-poll) on top of their protocol. Its CPU per order "
                + "counts only what it runs on, its PostgreSQL cluster (" + FloorBenchmark.CLUSTER + ") and the load "
                + "generator, not the idle cost of the rest of the stack, which every flow's figure includes (ADR 31).");
        notes.add("Every latency is timed from the order's scheduled arrival (Gatling's open-model schedule; the floor's own), "
                + "so a load generator that falls behind adds to it instead of hiding it.");
        if (tracingCost == null) {
            notes.add("Every order carried an unsampled W3C trace context: no span was recorded or exported in any run.");
        } else {
            notes.add("Every order carried an unsampled W3C trace context except in the tracing pair's 'on' run, whose orders were "
                    + "all sampled and exported to Zipkin.");
        }
        if (plan.chaos() && plan.sharedChaos()) {
            notes.add("Chaos (shared): one run with every flow's orders at once (" + chaosRateNote() + ", "
                    + "the flows take turns) and one SIGKILL of " + sharedVictim()
                    + " that hits them all at the same instant; each flow's recovery is computed from its own orders. "
                    + "--full (or --chaos-mode per-flow) kills each flow's own critical component in a run of its own.");
        }
    }

    private String chaosRateNote() {
        return plan.chaosBusy() > 0
                ? "at most " + fmt(plan.chaosRate()) + " orders/s in total, lowered so that the flows' measured CPU per order "
                + "keeps at most " + fmt(plan.chaosBusy() * 100) + " % of the machine busy: a fault's backlog drains only with "
                + "the capacity left over; each run's rate is in its row"
                : fmt(plan.chaosRate()) + " orders/s in total";
    }

    // ------------------------------------------------------------------ helpers

    /** Audits one flow's orders since the previous audit, once no 2PC branch is left prepared. */
    private Results.Audit auditFlow(String scope, String flow) {
        // a 2PC branch prepared after its transaction was aborted is rolled back by recovery
        awaitNoPreparedTransactions(plan.settleSeconds());
        Auditor.Outcome audited = auditor.audit(scope, Set.of(flow), baseline);
        baseline = audited.baseline();
        return audited.audit();
    }

    /**
     * After a failed load step of {@code flow}: every component of the stack whose process is gone (a service out of
     * heap exits, ADR 51) is restarted and the flow warmed up again, so the steps after it measure the stack and not
     * its absence or its cold start; each restart is a note of the report. Returns what it restarted, as a clause for
     * the step's reason ("" when nothing had stopped).
     */
    private String restartStopped(String flow, String step) {
        List<String> stopped = StackState.read(runDir.resolve("stack.json")).map(StackState::stopped).orElse(List.of());
        if (stopped.isEmpty()) {
            return "";
        }
        for (String component : stopped) {
            progress(component + " stopped during " + step + " (its log, and a heap dump if it ran out of heap, are in "
                    + "its folder of the run directory); restarting it");
            stack.restart(component);
        }
        warmup(List.of(flow), "restart-warmup", flow + ": warm-up after the restart");
        String restarted = String.join(", ", stopped) + (stopped.size() == 1 ? " stopped" : " each stopped")
                + " during it and " + (stopped.size() == 1 ? "was" : "were") + " restarted";
        notes.add(step + ": " + restarted + "; the steps after it ran on the restarted process.");
        return restarted;
    }

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

    /** Waits until no cluster holds a prepared transaction, at most {@code seconds}. */
    private void awaitNoPreparedTransactions(double seconds) {
        long deadline = System.currentTimeMillis() + (long) (seconds * 1000);
        while (auditor.preparedTransactionsLeft() && System.currentTimeMillis() < deadline) {
            sleep(200);
        }
    }

    private void progress(String message) {
        out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed(), message);
        out.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
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

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One comparison: the floor, then for each flow a probe, warm-up, latency repetitions, throughput steps, a chaos run
 * and an audit; then a final audit and the report. A flow the build does not have is reported MISSING; a phase that
 * fails is reported with its error and the comparison goes on.
 */
public final class Comparison {

    /** Which component a chaos run kills when {@code --kill} is not given: the one the flow leans on most. */
    public static final Map<String, String> DEFAULT_KILL = Map.of(
            "choreography", Topology.PAYMENT_SERVICE,
            "outbox", Topology.PAYMENT_SERVICE,
            "orchestration", Topology.SAGA_ORCHESTRATOR,
            "twopc", Topology.TWOPC_COORDINATOR,
            "cockroach", Topology.POSTGRES_COCKROACH);

    private final Plan plan;
    private final List<String> flows;
    private final Topology topology;
    private final String baseUrl;
    private final Path repo;
    private final Path reportDir;
    private final StackControl stack;
    private final String killOverride;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final String runPrefix = "cmp" + Long.toString(System.currentTimeMillis(), 36);
    private final GatlingRunner gatling;
    private final OrderStore store;
    private final Auditor auditor;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> notes = new ArrayList<>();

    public Comparison(Plan plan, List<String> flows, Topology topology, Path repo, Path reportDir, StackControl stack,
                      String killOverride, PrintStream out) {
        this.plan = plan;
        this.flows = flows;
        this.topology = topology;
        this.baseUrl = topology.serviceUrl(Topology.ORDER_SERVICE);
        this.repo = repo;
        this.reportDir = reportDir;
        this.stack = stack;
        this.killOverride = killOverride;
        this.out = out;
        this.gatling = new GatlingRunner(reportDir.resolve("gatling"));
        AuditDatabases dbs = AuditDatabases.of(topology);
        this.store = new OrderStore(dbs.ordersUrl(), dbs.user(), dbs.password());
        this.auditor = new Auditor(dbs);
    }

    public Results.Comparison run() {
        progress("comparison " + plan.mode() + " of " + String.join(", ", flows) + " against " + baseUrl + " (report: " + reportDir + ")");
        Auditor.Baseline baseline = auditor.audit("before", null, Auditor.Baseline.NONE).baseline();
        Results.Floor floor = floor();
        List<Results.FlowResult> results = new ArrayList<>();
        for (String flow : flows) {
            Auditor.Baseline[] holder = {baseline};
            results.add(flow(flow, floor, holder));
            baseline = holder[0];
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
        Results.Settings settings = new Results.Settings(plan.latencyRate(), plan.latencySeconds(), plan.repetitions(),
                plan.warmupSeconds(), plan.throughputRates(), plan.stepSeconds(), plan.sloP99Ms(), plan.errorBudgetPercent(),
                plan.chaosRate(), plan.chaosSeconds(), plan.killAtSeconds(), plan.restartAfterSeconds(),
                plan.recoveryDeadlineSeconds(), plan.mix().toString(), plan.seed(), plan.waitForFinalSeconds(), baseUrl,
                Environment.serviceSettings(repo, serviceUrls));
        notes.add("The floor is one PostgreSQL transaction from the load generator over JDBC: no HTTP, no second service; "
                + "flows pay at least two HTTP round trips (POST + long-poll) on top of their protocol.");
        notes.add("Latency excludes the warm-up run; every Gatling run's samples are in samples/*.csv (one line per order) and "
                + "its HdrHistogram percentile distribution in samples/*.hgrm.");
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
            return new Results.Floor("MEASURED", "one local PostgreSQL transaction per order, " + plan.latencyRate()
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

    // ------------------------------------------------------------------ one flow

    private Results.FlowResult flow(String flow, Results.Floor floor, Auditor.Baseline[] baseline) {
        Probe probe = probe(flow);
        if (!probe.status().equals("OK")) {
            progress(flow + ": " + probe.status() + " — " + probe.detail());
            return new Results.FlowResult(flow, probe.status(), probe.detail(), null, null, null, null, null, null, null);
        }
        String[] backend = backend(flow, probe);
        progress(flow + ": implemented; backend " + backend[0] + " (" + backend[1] + "); warm-up " + plan.warmupSeconds() + " s");
        run(flow, "warmup", plan.latencyRate(), plan.warmupSeconds(), false);

        List<Results.RunStats> reps = new ArrayList<>();
        for (int i = 1; i <= plan.repetitions(); i++) {
            Results.RunStats s = stats(run(flow, "latency-" + i, plan.latencyRate(), plan.latencySeconds(), i == 1));
            reps.add(s);
            progress(String.format(Locale.ROOT, "%s: latency rep %d/%d at %.0f/s: p50 %s p99 %s ms, %d orders, %d unfinished, %d failed",
                    flow, i, plan.repetitions(), plan.latencyRate(), fmt(s.latencyMs().p50()), fmt(s.latencyMs().p99()),
                    s.orders(), s.unfinished(), s.errors()));
        }
        Results.Latency latency = Stats.latency(plan.latencyRate(), plan.latencySeconds(), reps);
        Results.Ratio ratio = null;
        if (floor.latency() != null) {
            ratio = new Results.Ratio(latency.median().p50() / floor.latency().median().p50(),
                    latency.median().p99() / floor.latency().median().p99());
        }

        Results.Throughput throughput = plan.throughput() ? throughput(flow) : null;
        settle(flow);
        Results.Chaos chaos = plan.chaos() ? chaos(flow) : null;
        settle(flow);
        progress(flow + ": audit");
        Auditor.Outcome audit = auditor.audit(flow, Set.of(flow), baseline[0]);
        baseline[0] = audit.baseline();
        progress(flow + ": audit " + audit.audit().status() + " " + audit.audit().violationsByFlow());
        return new Results.FlowResult(flow, "MEASURED", probe.detail(), backend[0], backend[1], latency, throughput, chaos,
                audit.audit(), ratio);
    }

    private Results.Throughput throughput(String flow) {
        List<Results.Step> steps = new ArrayList<>();
        Double lastGood = null;
        String stop = null;
        for (double rate : plan.throughputRates()) {
            settle(flow);
            Results.RunStats s = stats(run(flow, "step-" + (int) rate, rate, plan.stepSeconds(), false));
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

    private Results.Chaos chaos(String flow) {
        String component = killOverride != null ? killOverride : DEFAULT_KILL.getOrDefault(flow, Topology.PAYMENT_SERVICE);
        progress(String.format(Locale.ROOT, "%s: chaos %.0f s at %.0f/s, SIGKILL %s at %.0f s, restart %.0f s later",
                flow, plan.chaosSeconds(), plan.chaosRate(), component, plan.killAtSeconds(), plan.restartAfterSeconds()));
        AtomicLong killAt = new AtomicLong();
        AtomicLong restartBegan = new AtomicLong();
        AtomicLong healthyAt = new AtomicLong();
        AtomicReference<String> error = new AtomicReference<>();
        Thread chaosThread = new Thread(() -> {
            try {
                Thread.sleep((long) (plan.killAtSeconds() * 1000));
                killAt.set(stack.kill(component));
                progress(flow + ": killed " + component);
                Thread.sleep((long) (plan.restartAfterSeconds() * 1000));
                restartBegan.set(System.currentTimeMillis());
                stack.restart(component);
                healthyAt.set(System.currentTimeMillis());
                progress(flow + ": " + component + " healthy again after " + fmt((healthyAt.get() - restartBegan.get()) / 1000.0) + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error.set("interrupted");
            } catch (RuntimeException e) {
                error.set(e.getMessage());
                progress(flow + ": chaos action failed: " + e.getMessage());
            }
        }, "chaos-" + flow);
        chaosThread.setDaemon(true);
        long gatlingCalled = System.currentTimeMillis();
        chaosThread.start();
        GatlingRunner.Run run = run(flow, "chaos", plan.chaosRate(), plan.chaosSeconds(), true);
        try {
            chaosThread.join(Duration.ofSeconds(180).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Results.RunStats stats = stats(run);
        long t0 = run.samples().stream().mapToLong(OrderSample::startEpochMs).min().orElse(gatlingCalled);
        if (killAt.get() == 0) {
            return new Results.Chaos(component, plan.chaosRate(), plan.chaosSeconds(), null, null, null, 0, null, null, null, 0,
                    List.of(), plan.recoveryDeadlineSeconds(), RecoveryAnalysis.timeline(run.samples(), t0), stats,
                    error.get() == null ? "the kill did not happen" : error.get());
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
                // the orders database may be the component that was killed; keep asking until the deadline
            }
            if (System.currentTimeMillis() > deadline) {
                break;
            }
            sleep(250);
        }
        long kill = killAt.get();
        long healthy = healthyAt.get();
        List<OrderStore.StoredOrder> inFlight = orders.stream()
                .filter(o -> o.createdEpochMs() < kill && (o.completedEpochMs() == null || o.completedEpochMs() >= kill)).toList();
        List<OrderStore.StoredOrder> affected = orders.stream()
                .filter(o -> o.createdEpochMs() < (healthy > 0 ? healthy : Long.MAX_VALUE)
                        && (o.completedEpochMs() == null || o.completedEpochMs() >= kill)).toList();
        boolean allInFlightFinal = inFlight.stream().allMatch(o -> o.completedEpochMs() != null);
        boolean allAffectedFinal = affected.stream().allMatch(o -> o.completedEpochMs() != null);
        Double afterKill = allInFlightFinal ? inFlight.stream().mapToLong(OrderStore.StoredOrder::completedEpochMs).max()
                .stream().mapToDouble(m -> (m - kill) / 1000.0).findFirst().orElse(0.0) : null;
        Double afterRestart = healthy > 0 && allAffectedFinal ? Math.max(0, affected.stream()
                .mapToLong(OrderStore.StoredOrder::completedEpochMs).max().orElse(healthy) - healthy) / 1000.0 : null;
        List<String> notFinal = orders.stream().filter(o -> o.completedEpochMs() == null).map(OrderStore.StoredOrder::id).toList();
        Double p99Back = RecoveryAnalysis.p99BackUnderSlo(run.samples(), t0, kill, plan.sloP99Ms());
        progress(String.format(Locale.ROOT, "%s: chaos: %d in flight at kill, all final %s s after kill / %s s after restart, "
                        + "p99 under SLO again %s s after kill, %d not final at deadline", flow, inFlight.size(), fmt(afterKill),
                fmt(afterRestart), fmt(p99Back), notFinal.size()));
        return new Results.Chaos(component, plan.chaosRate(), plan.chaosSeconds(), (kill - t0) / 1000.0,
                restartBegan.get() > 0 ? (restartBegan.get() - t0) / 1000.0 : null, healthy > 0 ? (healthy - t0) / 1000.0 : null,
                inFlight.size(), afterKill, afterRestart, p99Back, notFinal.size(), notFinal.stream().limit(50).toList(),
                plan.recoveryDeadlineSeconds(), RecoveryAnalysis.timeline(run.samples(), t0), stats, error.get());
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

    private GatlingRunner.Run run(String flow, String phase, double rate, double seconds, boolean html) {
        String runId = runPrefix + "-" + flow + "-" + phase;
        LoadSettings settings = new LoadSettings(flow, rate, seconds(seconds), plan.mix(), plan.seed() + phase.hashCode(), baseUrl,
                runId, reportDir.resolve("samples").resolve(runId + ".csv"), plan.waitForFinalSeconds(), (int) plan.sloP99Ms(),
                plan.errorBudgetPercent());
        return gatling.run(settings, html);
    }

    private Results.RunStats stats(GatlingRunner.Run run) {
        LoadSettings s = run.settings();
        return Stats.runStats(s.runId(), s.rate(), s.duration().toMillis() / 1000.0, run.samples(), run.assertionsPassed(),
                run.htmlReport().map(this::rel).orElse(null), rel(s.recordFile()),
                reportDir.resolve("samples").resolve(s.runId() + ".hgrm"));
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
        progress(flow + ": still " + (pending < 0 ? "unknown (orders db unreachable)" : pending) + " PENDING orders after "
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

package io.txlab.loadtests.compare;

import io.txlab.devstack.Topology;
import io.txlab.devstack.process.JvmComponent;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.report.Results;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static io.txlab.loadtests.compare.Comparison.fmt;
import static io.txlab.loadtests.compare.Comparison.sleep;

/**
 * Tracing's cost, as a pair of runs of its own: every flow in turn at the latency rate in total (so the pair stays within
 * what the machine carries: at that rate per flow, five flows together would saturate it and the pair would measure
 * queueing), the same orders (same seed)
 * once with every order's trace sampled (recorded by the services and exported to Zipkin) and once with none sampled.
 * Compared on CPU per order and on each flow's p50/p99. Every other run of the comparison sends unsampled trace
 * contexts, so no span is recorded or exported while latency, throughput or recovery is measured. The slowest traced
 * orders per flow have their traces saved from Zipkin into the report.
 */
final class TracingPair {

    /** After the run, how long until the services have exported every span (they export every second in the devstack). */
    static final long TRACE_EXPORT_MS = 3000;

    /** How many of the slowest traced orders per flow get their traces saved in the report. */
    static final int SLOWEST_TRACES = 3;

    private final Plan plan;
    private final LoadRuns runs;
    private final Topology topology;
    private final Path reportDir;
    private final HttpClient http;
    private final Consumer<String> settle;
    private final Consumer<String> progress;

    TracingPair(Plan plan, LoadRuns runs, Topology topology, Path reportDir, HttpClient http, Consumer<String> settle,
                Consumer<String> progress) {
        this.plan = plan;
        this.runs = runs;
        this.topology = topology;
        this.reportDir = reportDir;
        this.http = http;
        this.settle = settle;
        this.progress = progress;
    }

    boolean zipkinUp() {
        return JvmComponent.httpUp(zipkinUrl() + "/health", Duration.ofSeconds(3));
    }

    String zipkinUrl() {
        return topology.zipkinUrl();
    }

    Results.TracingCost run(List<String> flows) {
        int seconds = (int) Math.round(plan.tracingSeconds());
        double rate = plan.rate();
        progress.accept(String.format(Locale.ROOT, "tracing: %s in turn at %s/s in total, %d s with tracing off, then %d s with every "
                + "trace sampled and exported to Zipkin at %s", String.join(", ", flows), fmt(plan.rate()), seconds, seconds, zipkinUrl()));
        // the same seed for both: the same orders, only the trace flag differs
        LoadRuns.Measured off = runs.measured(LoadRuns.Spec.constant(flows, "tracing-off", rate, seconds)
                .traced(LoadSettings.TraceMode.OFF).sameOrdersAs("tracing"));
        flows.forEach(settle);
        LoadRuns.Measured on = runs.measured(LoadRuns.Spec.constant(flows, "tracing-on", rate, seconds)
                .traced(LoadSettings.TraceMode.ON).sameOrdersAs("tracing"));
        long ended = System.currentTimeMillis();
        flows.forEach(settle);
        Results.RunStats offStats = runs.stats(off.run(), off.run().samples(), off.resources());
        Results.RunStats onStats = runs.stats(on.run(), on.run().samples(), on.resources());
        sleep(Math.max(0, ended + TRACE_EXPORT_MS - System.currentTimeMillis()));
        List<Results.TracingFlow> perFlow = new ArrayList<>();
        for (String flow : flows) {
            Results.RunStats f = runs.share(on.run(), flow);
            Results.RunStats g = runs.share(off.run(), flow);
            List<Results.TraceLink> slowest = slowestTraces(flow, OrderSample.ofFlow(on.run().samples(), flow));
            perFlow.add(new Results.TracingFlow(flow, f.latencyMs(), g.latencyMs(), f.finalOrders(), g.finalOrders(),
                    overhead(f.latencyMs().p50(), g.latencyMs().p50()), overhead(f.latencyMs().p99(), g.latencyMs().p99()), slowest));
            progress.accept(String.format(Locale.ROOT, "tracing: %s p50 %s ms on / %s off, p99 %s / %s; slowest traces %s", flow,
                    fmt(f.latencyMs().p50()), fmt(g.latencyMs().p50()), fmt(f.latencyMs().p99()), fmt(g.latencyMs().p99()),
                    slowest.stream().map(l -> l.traceId() + " (" + l.spans() + " spans)").toList()));
        }
        Double cpu = onStats.resources() == null || offStats.resources() == null ? null
                : overhead(onStats.resources().totalCpuMsPerOrder(), offStats.resources().totalCpuMsPerOrder());
        progress.accept(String.format(Locale.ROOT, "tracing: CPU per order %s ms on / %s ms off (%s)",
                onStats.resources() == null ? "?" : fmt(onStats.resources().totalCpuMsPerOrder()),
                offStats.resources() == null ? "?" : fmt(offStats.resources().totalCpuMsPerOrder()),
                cpu == null ? "–" : String.format(Locale.ROOT, "%+.0f %%", cpu)));
        return new Results.TracingCost(plan.rate(), seconds, onStats, offStats, cpu, perFlow,
                "traces saved from Zipkin's in-memory store; open them in any Zipkin UI (Upload JSON)");
    }

    private static Double overhead(double on, double off) {
        return Double.isNaN(on) || Double.isNaN(off) || off <= 0 ? null : (on / off - 1) * 100;
    }

    /** The slowest traced orders of the run, with their traces as Zipkin has them. */
    private List<Results.TraceLink> slowestTraces(String flow, List<OrderSample> samples) {
        return samples.stream().filter(s -> s.outcome().isFinal())
                .sorted(Comparator.comparingLong(OrderSample::latencyMicros).reversed()).limit(SLOWEST_TRACES)
                .map(s -> fetchTrace(flow, s))
                .toList();
    }

    /** The trace as Zipkin has it, saved next to the report. */
    private Results.TraceLink fetchTrace(String flow, OrderSample s) {
        String body = awaitTrace(s.traceId());
        int spans = body == null ? 0 : spanCount(body);
        String file = body == null ? null : save(flow, s.traceId(), body);
        return new Results.TraceLink(s.orderId(), s.traceId(), s.latencyMicros() / 1000.0, spans,
                zipkinUrl() + "/zipkin/traces/" + s.traceId(), file);
    }

    /** The trace's JSON once Zipkin answers for it, waiting up to 5 s for the services' reporters to flush; else null. */
    private String awaitTrace(String traceId) {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(zipkinUrl() + "/api/v2/trace/" + traceId))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
            } catch (IOException | RuntimeException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            sleep(500);
        }
        return null;
    }

    /** Spans in a Zipkin v2 trace; 0 when the body is not JSON (it is saved as Zipkin sent it all the same). */
    private static int spanCount(String body) {
        try {
            return ReportWriter.JSON.readTree(body).size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Saves the trace under the report's {@code traces/}; its path relative to the report, or null if it could not. */
    private String save(String flow, String traceId, String body) {
        Path p = reportDir.resolve("traces").resolve(flow + "-" + traceId + ".json");
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, body);
            return reportDir.relativize(p).toString();
        } catch (IOException e) {
            progress.accept("could not save trace " + traceId + ": " + e.getMessage());
            return null;
        }
    }
}

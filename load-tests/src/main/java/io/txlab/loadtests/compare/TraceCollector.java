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
 * Tracing in the comparison: whether the orders carry trace contexts (A/B while Zipkin runs), and per flow the traced
 * vs untraced latency of the same repetitions and the slowest traced orders, with their traces saved from Zipkin.
 */
final class TraceCollector {

    /**
     * How long after an order the services have surely exported its spans: the devstack sets a 1 s export schedule
     * ({@code Topology.tracingEnvironment}), plus the export itself.
     */
    static final long TRACE_EXPORT_MS = 3000;

    /** How many of the slowest traced orders per flow get their traces saved in the report. */
    static final int SLOWEST_TRACES = 3;

    private final Topology topology;
    private final String request;
    private final Path reportDir;
    private final HttpClient http;
    private final Consumer<String> progress;
    private LoadSettings.TraceMode mode = LoadSettings.TraceMode.NONE;

    /** @param request {@code auto} (traces A/B when the stack runs Zipkin), {@code ab} or {@code none} */
    TraceCollector(Topology topology, String request, Path reportDir, HttpClient http, Consumer<String> progress) {
        this.topology = topology;
        this.request = request;
        this.reportDir = reportDir;
        this.http = http;
        this.progress = progress;
    }

    /** Decides the comparison's trace mode from the request and whether Zipkin runs; notes what was not collected. */
    LoadSettings.TraceMode resolve(List<String> notes) {
        mode = decide(zipkinUp(), notes);
        return mode;
    }

    private LoadSettings.TraceMode decide(boolean zipkin, List<String> notes) {
        switch (request) {
            case "none", "off" -> {
                progress.accept("tracing: off (--tracing none)");
                return LoadSettings.TraceMode.NONE;
            }
            case "ab" -> {
                if (!zipkin) {
                    notes.add("--tracing ab without Zipkin at " + zipkinUrl() + ": traces were started but not collected.");
                }
                progress.accept("tracing: A/B (every other order sampled)" + (zipkin ? ", Zipkin at " + zipkinUrl() : ", no Zipkin"));
                return LoadSettings.TraceMode.AB;
            }
            case "auto" -> {
                if (zipkin) {
                    progress.accept("tracing: Zipkin at " + zipkinUrl() + ": A/B (every other order sampled, overhead = traced vs untraced)");
                    return LoadSettings.TraceMode.AB;
                }
                progress.accept("tracing: no Zipkin at " + zipkinUrl() + ": orders carry no trace context (services sample nothing)");
                notes.add("Tracing was off: no Zipkin ran at " + zipkinUrl() + ", so no traces and no tracing overhead were measured.");
                return LoadSettings.TraceMode.NONE;
            }
            default -> throw new IllegalArgumentException("--tracing must be auto, ab or none, got '" + request + "'");
        }
    }

    LoadSettings.TraceMode mode() {
        return mode;
    }

    /**
     * The trace context of one run's orders. With tracing on, the warm-ups and latency runs trace every other order
     * (A/B); the throughput steps and the chaos runs send unsampled contexts only, so capacity and recovery are
     * measured with tracing configured but not recording, as with a low production sampling rate, and Zipkin is not
     * flooded.
     */
    LoadSettings.TraceMode modeFor(String phase) {
        boolean measuresTracing = phase.contains("warmup") || phase.startsWith("latency");
        return mode == LoadSettings.TraceMode.NONE ? LoadSettings.TraceMode.NONE
                : measuresTracing ? LoadSettings.TraceMode.AB : LoadSettings.TraceMode.UNSAMPLED;
    }

    String zipkinUrl() {
        return topology.zipkinUrl();
    }

    private boolean zipkinUp() {
        return JvmComponent.httpUp(zipkinUrl() + "/health", Duration.ofSeconds(3));
    }

    /** Collects one flow's traces over its latency repetitions. */
    FlowTraces of(String flow) {
        return new FlowTraces(flow);
    }

    /** One flow's latency repetitions: all their orders, and each repetition's slowest traced ones with their traces. */
    final class FlowTraces {

        private final String flow;
        private final List<OrderSample> samples = new ArrayList<>();
        private final List<Results.TraceLink> candidates = new ArrayList<>();
        private List<OrderSample> unfetched = List.of();

        private FlowTraces(String flow) {
            this.flow = flow;
        }

        /** After each latency repetition, with its orders. */
        void repetition(List<OrderSample> repetition) {
            samples.addAll(repetition);
            if (mode == LoadSettings.TraceMode.AB) {
                // One repetition late: by now the services have exported the previous one's spans (a trace fetched
                // at once misses most of them), and Zipkin's in-memory store, which drops the oldest traces, still
                // has them; the last repetition's are fetched after the throughput steps, which trace nothing.
                candidates.addAll(slowestTraces(flow, unfetched));
                unfetched = repetition;
            }
        }

        /**
         * Traced vs untraced orders of the repetitions and the slowest traced ones with their traces, once the last
         * repetition's spans are exported ({@link TraceCollector#TRACE_EXPORT_MS} after {@code latencyEnded}); null
         * unless A/B.
         */
        Results.Tracing result(long latencyEnded) {
            if (mode != LoadSettings.TraceMode.AB) {
                return null;
            }
            sleep(Math.max(0, latencyEnded + TRACE_EXPORT_MS - System.currentTimeMillis()));
            candidates.addAll(slowestTraces(flow, unfetched));
            return tracing(flow, samples, candidates);
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

    private Results.Tracing tracing(String flow, List<OrderSample> samples, List<Results.TraceLink> candidates) {
        List<OrderSample> traced = samples.stream().filter(s -> s.outcome().isFinal() && s.traced()).toList();
        List<OrderSample> untraced = samples.stream().filter(s -> s.outcome().isFinal() && !s.traced()).toList();
        Results.Percentiles t = Stats.percentiles(Stats.histogram(traced));
        Results.Percentiles u = Stats.percentiles(Stats.histogram(untraced));
        Double p50 = overhead(t.p50(), u.p50());
        Double p99 = overhead(t.p99(), u.p99());
        List<Results.TraceLink> slowest = keepSlowest(candidates);
        boolean zipkin = zipkinUp();
        progress.accept(String.format(Locale.ROOT, "%s: tracing: traced p50 %s / untraced %s ms (%s %%), p99 %s / %s ms; slowest traces %s",
                flow, fmt(t.p50()), fmt(u.p50()), p50 == null ? "–" : String.format(Locale.ROOT, "%+.1f", p50), fmt(t.p99()),
                fmt(u.p99()), slowest.stream().map(l -> l.traceId() + " (" + l.spans() + " spans)").toList()));
        return new Results.Tracing(traced.size(), untraced.size(), t, u, p50, p99, slowest,
                zipkin ? "traces saved from Zipkin's in-memory store; open them in any Zipkin UI (Upload JSON)" : "Zipkin not reachable");
    }

    private static Double overhead(double traced, double untraced) {
        return Double.isNaN(traced) || Double.isNaN(untraced) || untraced <= 0 ? null : (traced / untraced - 1) * 100;
    }

    /**
     * The slowest of the candidates. Each repetition's slowest were saved as candidates; the report keeps only the
     * traces it links, so the others' files are removed.
     */
    private List<Results.TraceLink> keepSlowest(List<Results.TraceLink> candidates) {
        List<Results.TraceLink> slowest = candidates.stream()
                .sorted(Comparator.comparingDouble(Results.TraceLink::latencyMs).reversed()).limit(SLOWEST_TRACES).toList();
        candidates.stream().filter(c -> !slowest.contains(c) && c.file() != null).forEach(c -> {
            try {
                Files.deleteIfExists(reportDir.resolve(c.file()));
            } catch (IOException e) {
                progress.accept("could not remove " + c.file() + ": " + e.getMessage());
            }
        });
        return slowest;
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

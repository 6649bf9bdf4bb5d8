package io.txlab.loadtests.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code ./txlab compare} measured, as written to {@code report/results.json}. Latencies are in
 * milliseconds, rates in orders per second, times in seconds; a {@code null} means "not measured" (never zero).
 */
public final class Results {

    private Results() {
    }

    public record Comparison(String generatedAt, String mode, double elapsedSeconds, Machine machine,
                             Map<String, String> versions, Settings settings, Floor floor, List<FlowResult> flows,
                             Audit finalAudit, List<Target> targets, List<String> notes) {
    }

    public record Machine(int cores, double memoryGiB, String cpuModel, String os, String jdk) {
    }

    /**
     * @param chaosMode "shared" (one run, every flow, one kill) or "per-flow"
     * @param tracing   "ab" (traced and untraced orders in the same runs, Zipkin collecting) or "none"
     */
    public record Settings(double stackWarmupSeconds, double stackWarmupRate, double latencyRate, double latencySeconds,
                           int repetitions, double warmupSeconds, List<Double> throughputRates,
                           double throughputStepSeconds, double sloP99Ms, double errorBudgetPercent, String chaosMode,
                           double chaosRate, double chaosSeconds, double killAtSeconds, double restartAfterSeconds,
                           double recoveryDeadlineSeconds, boolean crashPoints, double crashSeconds, String mix,
                           long seed, int waitForFinalSeconds, String tracing, String zipkinUrl, String baseUrl,
                           Map<String, String> serviceSettings) {
    }

    /** MEASURED, MISSING (the build has no such flow: 422 "not implemented"), or FAILED (with the reason). */
    /**
     * @param chaos   the recovery after a kill (shared or per-flow run)
     * @param crash   the recovery after a named crash point (null when not run, or the flow has none)
     * @param tracing traced vs untraced orders of the latency repetitions (null when the run started no traces)
     */
    public record FlowResult(String flow, String status, String detail, String backend, String backendSource,
                             Latency latency, Throughput throughput, Chaos chaos, Chaos crash, Tracing tracing,
                             Audit audit, Ratio overheadVsFloor) {

        public FlowResult withChaos(Chaos c) {
            return new FlowResult(flow, status, detail, backend, backendSource, latency, throughput, c, crash, tracing,
                    audit, overheadVsFloor);
        }

        public static FlowResult notMeasured(String flow, String status, String detail) {
            return new FlowResult(flow, status, detail, null, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * Tracing's cost, measured inside the same latency repetitions: odd orders carried a sampled
     * {@code traceparent}, even ones an unsampled one (the services sample parent-based).
     *
     * @param overheadP50Percent traced p50 / untraced p50 - 1, in percent (the target: at most 5)
     * @param slowest            the slowest traced orders, with their traces as Zipkin returned them
     */
    public record Tracing(long tracedOrders, long untracedOrders, Percentiles tracedMs, Percentiles untracedMs,
                          Double overheadP50Percent, Double overheadP99Percent, List<TraceLink> slowest, String note) {
    }

    /** @param file the trace's JSON (Zipkin v2) saved in the report, loadable in any Zipkin UI; null if not fetched */
    public record TraceLink(String orderId, String traceId, double latencyMs, int spans, String zipkinUrl, String file) {
    }

    public record Percentiles(double p50, double p95, double p99, double p999) {
    }

    public record RunStats(String runId, double rate, double durationSeconds, long orders, long confirmed,
                           long cancelled, long unfinished, long errors, double finalPerSecond,
                           Percentiles latencyMs, double maxMs, double meanMs, boolean gatlingAssertionsPassed,
                           String gatlingReport, String samplesFile, String histogramFile) {
    }

    /** Median of each percentile across repetitions, and its coefficient of variation (stddev / mean). */
    public record Latency(double rate, double durationSeconds, List<RunStats> repetitions, Percentiles median,
                          Percentiles coefficientOfVariation) {
    }

    public record Step(double rate, boolean passed, String reason, RunStats stats) {
    }

    public record Throughput(double sloP99Ms, double errorBudgetPercent, List<Step> steps, Double maxSustainedRate,
                             String stopReason) {
    }

    public record TimelinePoint(double t, long started, long bad, Double p99Ms) {
    }

    /**
     * @param mode       "shared" (every flow in one run, one kill), "per-flow", or "crash-point"
     * @param crashPoint the armed crash point (mode crash-point), else null
     * @param flowsInRun the flows whose orders were in the run (the others' numbers are in their own results)
     * @param audit      the audit right after this run (shared mode: one audit for all flows of the run)
     */
    public record Chaos(String mode, String component, String crashPoint, List<String> flowsInRun, double rate,
                        double durationSeconds, Double killAtSeconds,
                        Double restartBeganAtSeconds, Double restartHealthyAtSeconds, long ordersInFlightAtKill,
                        Double allFinalAfterKillSeconds, Double allFinalAfterRestartSeconds,
                        Double p99BackUnderSloAfterKillSeconds, long notFinalAtDeadline,
                        List<String> notFinalOrderIds, double deadlineSeconds, List<TimelinePoint> timeline,
                        RunStats stats, Audit audit, String error) {

        /** A fault run that did not happen, with why (nothing measured: every number null). */
        public static Chaos notRun(String mode, String component, String crashPoint, List<String> flowsInRun, String why) {
            return new Chaos(mode, component, crashPoint, flowsInRun, 0, 0, null, null, null, 0, null, null, null, 0,
                    List.of(), 0, List.of(), null, null, why);
        }
    }

    public record Floor(String status, String detail, String where, Latency latency) {
    }

    /** Flow p50 and p99 divided by the floor's, from the latency medians. */
    public record Ratio(Double p50, Double p99) {
    }

    public record Audit(String scope, String status, String detail, List<Check> checks, Map<String, Long> violationsByFlow) {
    }

    /** PASS, FAIL or SKIPPED (with why); examples name order ids (or SKUs, customers, gids). */
    public record Check(String name, String flow, String status, long violations, List<String> examples, String detail) {
    }

    public record Target(String flow, double p50Ms, double p99Ms, double maxRate) {
    }
}

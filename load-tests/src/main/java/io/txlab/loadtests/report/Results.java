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

    public record Settings(double latencyRate, double latencySeconds, int repetitions, double warmupSeconds,
                           List<Double> throughputRates, double throughputStepSeconds, double sloP99Ms,
                           double errorBudgetPercent, double chaosRate, double chaosSeconds, double killAtSeconds,
                           double restartAfterSeconds, double recoveryDeadlineSeconds, String mix, long seed,
                           int waitForFinalSeconds, String baseUrl, Map<String, String> serviceSettings) {
    }

    /** MEASURED, MISSING (the build has no such flow: 422 "not implemented"), or FAILED (with the reason). */
    public record FlowResult(String flow, String status, String detail, String backend, String backendSource,
                             Latency latency, Throughput throughput, Chaos chaos, Audit audit,
                             Ratio overheadVsFloor) {
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

    public record Chaos(String component, double rate, double durationSeconds, Double killAtSeconds,
                        Double restartBeganAtSeconds, Double restartHealthyAtSeconds, long ordersInFlightAtKill,
                        Double allFinalAfterKillSeconds, Double allFinalAfterRestartSeconds,
                        Double p99BackUnderSloAfterKillSeconds, long notFinalAtDeadline,
                        List<String> notFinalOrderIds, double deadlineSeconds, List<TimelinePoint> timeline,
                        RunStats stats, String error) {
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

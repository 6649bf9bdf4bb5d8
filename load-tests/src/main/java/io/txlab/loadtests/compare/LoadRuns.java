package io.txlab.loadtests.compare;

import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.report.Results;

import java.nio.file.Path;
import java.util.List;

import static io.txlab.loadtests.compare.Comparison.seconds;

/**
 * The comparison's Gatling runs: one phase of the plan against order-service, its samples under the report's
 * {@code samples/}, and its statistics with their paths relative to the report.
 */
final class LoadRuns {

    private final Plan plan;
    private final String baseUrl;
    private final String runPrefix;
    private final Path reportDir;
    private final GatlingRunner gatling;
    private final TraceCollector traces;

    LoadRuns(Plan plan, String baseUrl, String runPrefix, Path reportDir, TraceCollector traces) {
        this.plan = plan;
        this.baseUrl = baseUrl;
        this.runPrefix = runPrefix;
        this.reportDir = reportDir;
        this.gatling = new GatlingRunner(reportDir.resolve("gatling"));
        this.traces = traces;
    }

    /** One Gatling run of {@code runFlows} (taking turns when several), its orders carrying the phase's trace context. */
    GatlingRunner.Run run(List<String> runFlows, String phase, double rate, double seconds, boolean html) {
        String runId = runPrefix + "-" + (runFlows.size() == 1 ? runFlows.get(0) : "all") + "-" + phase;
        LoadSettings settings = new LoadSettings(String.join(",", runFlows), rate, seconds(seconds), plan.mix(),
                plan.seed() + phase.hashCode(), baseUrl, runId, samplesFile(runId + ".csv"),
                plan.waitForFinalSeconds(), (int) plan.sloP99Ms(), plan.errorBudgetPercent(), traces.modeFor(phase),
                phase.equals("stack-warmup"));
        return gatling.run(settings, html);
    }

    Results.RunStats stats(GatlingRunner.Run run) {
        LoadSettings s = run.settings();
        return Stats.runStats(s.runId(), s.rate(), s.duration().toMillis() / 1000.0, run.samples(), run.assertionsPassed(),
                run.htmlReport().map(this::rel).orElse(null), rel(s.recordFile()), samplesFile(s.runId() + ".hgrm"));
    }

    /** One flow's share of a run several flows took turns in (its rate is its share of the run's rate). */
    Results.RunStats stats(GatlingRunner.Run run, String flow, List<OrderSample> samples) {
        LoadSettings s = run.settings();
        if (s.flows().size() == 1) {
            return stats(run);
        }
        String id = s.runId() + "-" + flow;
        return Stats.runStats(id, s.rate() / s.flows().size(), s.duration().toMillis() / 1000.0, samples, run.assertionsPassed(),
                run.htmlReport().map(this::rel).orElse(null), rel(s.recordFile()), samplesFile(id + ".hgrm"));
    }

    static List<OrderSample> ofFlow(List<OrderSample> samples, String flow) {
        return samples.stream().filter(s -> s.flow().equals(flow)).toList();
    }

    /** A file in the report's {@code samples/} folder. */
    Path samplesFile(String name) {
        return reportDir.resolve("samples").resolve(name);
    }

    /** The path as the report links it: relative to the report folder when inside it. */
    String rel(Path p) {
        Path abs = p.toAbsolutePath();
        Path base = reportDir.toAbsolutePath();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }
}

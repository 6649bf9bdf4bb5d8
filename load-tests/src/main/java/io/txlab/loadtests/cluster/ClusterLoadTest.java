package io.txlab.loadtests.cluster;

import io.txlab.loadtests.compare.GatlingRunner;
import io.txlab.loadtests.compare.Stats;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.config.WorkloadMix;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.report.Results;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.SerializationFeature;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The load generator of a cluster run: what the {@code load-tests} image runs (Job {@code txlab-loadtest},
 * k8s/components/loadtest). One open-model Gatling run against an order-service that is already deployed, the flows
 * taking turns at the given total rate, then one result line per flow on standard output, where {@code kubectl logs}
 * finds it after the pod has ended (a finished pod's files cannot be copied out).
 *
 * <p>Each flow gets two lines, both starting with a fixed tag: {@value #RESULT_TAG} with {@code key=value} pairs (what
 * {@code k8s/chaos/rtt-sweep.sh} reads) and {@value #JSON_TAG} with the same run as {@code results.json} stores a run
 * ({@link Results.RunStats}). Latency is the load generator's usual one: from each order's scheduled arrival to the
 * answer that showed it final.
 *
 * <p>Exit status: 0 when every flow finished at least one order (however slow: a slow cluster is a result, not a
 * failure), 1 when a flow finished none or Gatling could not run, 2 on bad options.
 */
@Command(name = "cluster-load-test", mixinStandardHelpOptions = true,
        description = "Drive an order-service that is already running (a cluster) and print one result line per flow.")
public final class ClusterLoadTest implements Callable<Integer> {

    /** Prefix of the {@code key=value} result line of each flow. */
    public static final String RESULT_TAG = "TXLAB-RESULT";
    /** Prefix of the JSON result line of each flow. */
    public static final String JSON_TAG = "TXLAB-RESULT-JSON";

    /** results.json's mapper (NaN as a string), on one line. */
    private static final ObjectWriter ONE_LINE = ReportWriter.JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--flows", required = true, split = ",", paramLabel = "<flow>",
            description = "Flows to drive, in turn (the overlay's TXLAB_FLOWS_ENABLED).")
    List<String> flows;

    @Option(names = "--rate", defaultValue = "10", paramLabel = "<orders/s>",
            description = "Arrivals per second for all flows together, open model (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "<s>",
            description = "How long the arrivals go on, in whole seconds (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--base-url", defaultValue = "http://order-service:8081", paramLabel = "<url>",
            description = "order-service (default: ${DEFAULT-VALUE}).")
    String baseUrl;

    @Option(names = "--label", defaultValue = "cluster", paramLabel = "<text>",
            description = "Names the run in its result lines, e.g. rtt-10ms (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--mix", paramLabel = "<succeed,declined,outOfStock>",
            description = "Percentages of the order kinds (default: 85,10,5).")
    String mix;

    @Option(names = "--seed", defaultValue = "42", description = "Makes the order sequence reproducible (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--wait-for-final", defaultValue = "30", paramLabel = "<s>",
            description = "How long one order's long-poll waits for its final state (default: ${DEFAULT-VALUE}).")
    int waitForFinalSeconds;

    @Option(names = "--out", defaultValue = ".", paramLabel = "<dir>",
            description = "Where Gatling's HTML report and the samples go (default: the working directory).")
    Path out;

    @Option(names = "--html", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Write Gatling's HTML report (default: on).")
    boolean html;

    private final PrintStream console;

    public ClusterLoadTest() {
        this(System.out);
    }

    ClusterLoadTest(PrintStream console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    public static int run(PrintStream console, String... args) {
        return new CommandLine(new ClusterLoadTest(console)).execute(args);
    }

    @Override
    public Integer call() {
        CommandLine cli = new CommandLine(this);
        if (rate <= 0 || seconds <= 0 || waitForFinalSeconds <= 0) {
            throw new CommandLine.ParameterException(cli, String.format(Locale.ROOT,
                    "--rate, --seconds and --wait-for-final must be positive, got %s, %d and %d", rate, seconds, waitForFinalSeconds));
        }
        List<String> lanes = flows.stream().map(String::trim).filter(f -> !f.isEmpty()).distinct().toList();
        if (lanes.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "--flows names no flow");
        }
        String runId = label.replaceAll("[^A-Za-z0-9_-]", "_") + "-" + System.currentTimeMillis();
        LoadSettings settings = LoadSettings.constant(String.join(",", lanes), rate, Duration.ofSeconds(seconds),
                        mix == null ? WorkloadMix.DEFAULT : WorkloadMix.parse(mix), seed, baseUrl, runId,
                        out.resolve("samples").resolve(runId + ".csv"), waitForFinalSeconds)
                // no SLO here: the run reports what it saw, the reader judges it
                .withAssertions(Integer.MAX_VALUE, 100);
        console.printf(Locale.ROOT, "cluster load test %s: %s orders/s for %d s against %s, flows %s in turn%n",
                label, rate, seconds, baseUrl, String.join(", ", lanes));
        GatlingRunner.Run run = new GatlingRunner(out.resolve("gatling")).run(settings, html);
        if (run.exitCode() != 0) {
            console.printf(Locale.ROOT, "Gatling could not run (exit %d); see %s%n", run.exitCode(),
                    out.resolve("gatling").resolve("gatling-console.log"));
            return 1;
        }
        int finishedNone = 0;
        for (String flow : lanes) {
            Results.RunStats stats = Stats.runStats(runId, rate / lanes.size(), seconds, OrderSample.ofFlow(run.samples(), flow),
                    null, run.htmlReport().map(Path::toString).orElse(null), settings.recordFile().toString(), null);
            console.println(resultLine(label, flow, stats));
            console.println(JSON_TAG + " " + ONE_LINE.writeValueAsString(new FlowResult(label, flow, stats)));
            if (stats.finalOrders() == 0) {
                finishedNone++;
            }
        }
        if (finishedNone > 0) {
            console.printf(Locale.ROOT, "%d of %d flows finished no order: is the flow deployed, and order-service reachable at %s?%n",
                    finishedNone, lanes.size(), baseUrl);
            return 1;
        }
        return 0;
    }

    /** One flow's run, as the JSON line carries it. */
    public record FlowResult(String label, String flow, Results.RunStats stats) {
    }

    /** {@value #RESULT_TAG} {@code label=… flow=… orders=… … p50Ms=… p99Ms=…}: one line, fixed keys, no spaces in values. */
    static String resultLine(String label, String flow, Results.RunStats s) {
        Results.Percentiles p = s.latencyMs();
        return String.format(Locale.ROOT,
                "%s label=%s flow=%s orders=%d final=%d confirmed=%d cancelled=%d unfinished=%d errors=%d "
                        + "p50Ms=%s p95Ms=%s p99Ms=%s maxMs=%s",
                RESULT_TAG, label.replace(' ', '_'), flow, s.orders(), s.finalOrders(), s.confirmed(), s.cancelled(),
                s.unfinished(), s.errors(), ms(p.p50()), ms(p.p95()), ms(p.p99()), ms(s.maxMs()));
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }
}

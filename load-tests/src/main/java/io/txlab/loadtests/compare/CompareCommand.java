package io.txlab.loadtests.compare;

import io.txlab.devstack.ComponentKind;
import io.txlab.devstack.Topology;
import io.txlab.devstack.stack.Stack;
import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.config.WorkloadMix;
import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.report.Results;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ./txlab compare}: starts the stack (unless {@code --reuse-stack}), measures every flow under the same load
 * and the same faults, audits the databases, writes {@code report/} and stops what it started. Builds nothing: the
 * {@code ./txlab} wrapper builds first.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Run the five flows side by side (latency, max throughput, recovery after a kill -9, audit) and write report/.")
public final class CompareCommand implements Callable<Integer> {

    @Option(names = "--full", description = "Longer phases, a chaos run and a crash-point run per flow, tracing's cost, "
            + "infrastructure faults, the network-distance sweep, the 2PC tax, the order deadlines and 25 anomaly bursts per "
            + "flow instead of the quick run (about 9 minutes on 2 cores). It took 42 minutes for five flows on 2 cores on "
            + "2026-12-05, build and stack start not included.")
    boolean full;

    @Option(names = "--flows", split = ",", paramLabel = "<flow>", description = "Subset of flows (default: all five).")
    List<String> flows = new ArrayList<>();

    @Option(names = "--reuse-stack", description = "Use the stack that is already running (./txlab up) and leave it running.")
    boolean reuseStack;

    @Option(names = "--keep-stack", description = "Do not stop the stack this command started.")
    boolean keepStack;

    @Option(names = "--kill", paramLabel = "<component>", description = "Component the chaos run(s) kill (default: the shared "
            + "run kills order-service; per-flow runs kill choreography/outbox payment-service, orchestration saga-orchestrator, "
            + "twopc twopc-coordinator, cockroach postgres-cockroach).")
    String kill;

    @Option(names = "--chaos-mode", paramLabel = "shared|per-flow", description = "shared: one chaos run with every flow at "
            + "once and one kill (quick default); per-flow: one chaos run per flow killing its own critical component (--full default).")
    String chaosMode;

    @Option(names = "--crash-points", negatable = true, description = "Per flow, arm a named crash point in a chaos-profile "
            + "restart of the service that owns it, let the service halt there, restart it disarmed and measure recovery "
            + "(--full default; off in the quick run).")
    Boolean crashPoints;

    @Option(names = "--tracing-pair", negatable = true, description = "Measure tracing's cost: the same orders with every trace "
            + "sampled and exported to Zipkin, and with none (--full default). No other run records a span.")
    Boolean tracingPair;

    @Option(names = "--report-dir", description = "Where the report goes (default <repo>/report).")
    Path reportDir;

    @Option(names = "--repo", description = "Repository root (default: found from the working directory).")
    Path repo;

    @Option(names = "--run-dir", description = "Devstack run directory (default: the devstack's).")
    Path runDir;

    @Option(names = "--port-offset", description = "Added to every port of the stack (as ./txlab --port-offset); default 0.")
    int portOffset;

    @Option(names = "--rate", description = "Open-model rate of every lane in the latency and warm-up runs, orders/s (default 20).")
    Double rate;

    @Option(names = "--chaos-rate", description = "Open-model arrival rate of the fault runs, orders/s in total: without "
            + "--chaos-busy, used as given; by default at most 50, lowered by --chaos-busy.")
    Double chaosRate;

    @Option(names = "--chaos-busy", description = "Share of the machine's cores a fault run's load may keep busy, by its flows' "
            + "measured CPU per order: the rate is lowered until it fits (default 0.5; 0 = --chaos-rate as given).")
    Double chaosBusy;

    @Option(names = "--stack-warmup-seconds", description = "Discarded run of all flows in turn before anything is measured.")
    Double stackWarmupSeconds;

    @Option(names = "--idle-seconds", description = "A window of the idle stack: windows follow each other until two agree, "
            + "at most --max-warmup-seconds (ADR 42).") Double idleSeconds;
    @Option(names = "--window-seconds", description = "Steady-state window.") Double windowSeconds;
    @Option(names = "--max-warmup-seconds", description = "Cap on a lane's steady-state warm-up.") Double maxWarmupSeconds;
    @Option(names = "--repetitions", description = "Interleaved latency repetitions.") Integer repetitions;
    @Option(names = "--repetition-seconds", description = "Length of one latency repetition.") Double repetitionSeconds;
    @Option(names = "--min-p99-samples", description = "No p99 from fewer final orders per lane.") Integer minP99Samples;
    @Option(names = "--step-seconds", description = "Sustained part of a throughput step.") Double stepSeconds;
    @Option(names = "--ramp-seconds", description = "Ramp before each throughput step (discarded).") Double rampSeconds;
    @Option(names = "--max-steps", description = "Throughput steps per flow.") Integer maxSteps;
    @Option(names = "--tracing-seconds", description = "Length of each run of the tracing pair.") Double tracingSeconds;
    @Option(names = "--chaos-seconds") Double chaosSeconds;
    @Option(names = "--crash-seconds", description = "Length of one crash-point run.") Double crashSeconds;
    @Option(names = "--kill-at", description = "Seconds into the chaos run.") Double killAt;
    @Option(names = "--infra-faults", paramLabel = "<faults>", description = "Faults in shared runs of their own after the "
            + "chaos runs, comma-separated, or none: a component to SIGKILL, partition:<service>:<target> for a link "
            + "of the link proxy (ADR 21), disk-full:<cluster> for a PostgreSQL cluster's disk filled for 10 s (needs "
            + "root), or memory:<service>[:<MiB>] for a service's heap squeezed to 16 (or <MiB>) MiB free for 10 s. --full: every PostgreSQL "
            + "cluster of the services and the coordinator, kafka, partition:payment-service:postgres-payment, "
            + "disk-full:postgres-payment, memory:payment-service; quick: none.")
    String infraFaults;
    @Option(names = "--rtt-sweep", paramLabel = "<ms,...>", description = "The network-distance sweep: round trips in ms "
            + "added to every link of the link proxy in turn (the services are restarted behind it), each flow alone at "
            + "--rtt-rate for --rtt-seconds at each, or none. --full: 0,1,10,50; quick: none.")
    String rttSweep;
    @Option(names = "--rtt-rate", description = "Orders/s of each flow's run in the network-distance sweep (default 5).") Double rttRate;
    @Option(names = "--rtt-seconds", description = "Length of each flow's run at each round trip (--full 20, quick 15).") Double rttSeconds;
    @Option(names = "--rtt-in-flight", description = "In the network-distance sweep, after each flow's low-rate run, a "
            + "run with this many of its orders in flight at once (each placed when the one before it is final), "
            + "min(15, --rtt-seconds) s long, its first third discarded: what the flow completes per second at that "
            + "distance; 0: not run (--full 64, quick 0; at most 500).") Integer rttInFlight;
    @Option(names = "--deadline-orders", description = "Order deadlines: per flow, this many orders placed with a "
            + "--deadline-seconds deadline while the link of its payment step is partitioned; 0: not run (--full 5, quick 0).")
    Integer deadlineOrders;
    @Option(names = "--deadline-seconds", description = "The deadline of those orders (default 2).") Double deadlineSeconds;
    @Option(names = "--anomaly-bursts", description = "Isolation anomalies: per flow, this many bursts of 8 concurrent "
            + "orders for a SKU with 3 units (half of them from a customer who cannot pay) while a reader samples the "
            + "services' rows; 0: not run (--full 25, quick 5).")
    Integer anomalyBursts;
    @Option(names = "--twopc-bench", paramLabel = "full|quick|off", description = "The 2PC tax, at the end with the stack "
            + "idle: ./txlab twopc-bench (local transaction vs 2PC over 2, 3 and 5 PostgreSQL clusters of its own, and a "
            + "coordinator crash mid-protocol), its full mode (about 3 minutes) or its quick one (about 1). --full: full; quick: off.")
    String twopcBench;
    @Option(names = "--mechanism-floors", negatable = true, description = "Each flow's mechanism alone, at the end "
            + "with the services stopped (started again if the stack outlives the run): ./txlab mechanism-floor for every measured flow "
            + "(all five have one), about 3 minutes each (--mechanism-floor-seconds), shown next to the flow's figure and target (ADR 47). "
            + "--full: on; quick: off.")
    Boolean mechanismFloors;
    @Option(names = "--mechanism-floor-seconds", description = "Each mechanism floor's warm-up at the rate (discarded), "
            + "then its idle window and its window at the rate, each this long (default 60; 1 to 600).")
    Integer mechanismFloorSeconds;
    @Option(names = "--restart-after", description = "Seconds between the kill and the restart.") Double restartAfter;
    @Option(names = "--recovery-deadline", description = "Seconds after the restart by which every order should be final.") Double recoveryDeadline;
    @Option(names = "--settle-seconds") Double settleSeconds;
    @Option(names = "--slo-p99-ms", description = "p99 SLO for the throughput steps and the recovery (default 1000).") Double sloP99Ms;
    @Option(names = "--error-budget", description = "Failed or unfinished orders allowed per step, percent (default 1).") Double errorBudget;
    @Option(names = "--seed") Long seed;
    @Option(names = "--mix", description = "succeed,declined,outOfStock percentages (default 85,10,5).") String mix;
    @Option(names = "--no-chaos", description = "Skip the chaos runs.") boolean noChaos;
    @Option(names = "--no-throughput", description = "Skip the throughput steps.") boolean noThroughput;

    private final PrintStream out;

    public CompareCommand() {
        this(System.out);
    }

    CompareCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(System.out, args));
    }

    public static int run(PrintStream out, String... args) {
        return new CommandLine(new CompareCommand(out)).execute(args);
    }

    Plan plan() {
        Plan p = full ? Plan.full() : Plan.quick();
        if (chaosBusy != null && (chaosBusy < 0 || chaosBusy > 1)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--chaos-busy must be between 0 and 1 (a share of the machine's cores), got " + chaosBusy);
        }
        boolean shared = chaosMode == null ? p.sharedChaos() : switch (chaosMode.trim().toLowerCase(Locale.ROOT)) {
            case "shared" -> true;
            case "per-flow", "perflow" -> false;
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--chaos-mode must be shared or per-flow, got '" + chaosMode + "'");
        };
        return new Plan(p.mode(), or(rate, p.rate()), or(stackWarmupSeconds, p.stackWarmupSeconds()), p.stackWarmupRate(),
                or(idleSeconds, p.idleSeconds()), or(windowSeconds, p.windowSeconds()), p.steadyTolerance(),
                or(maxWarmupSeconds, p.maxWarmupSeconds()), or(repetitions, p.repetitions()),
                or(repetitionSeconds, p.repetitionSeconds()), or(minP99Samples, p.minP99Samples()),
                or(stepSeconds, p.stepSeconds()), or(rampSeconds, p.rampSeconds()), or(maxSteps, p.maxSteps()),
                or(sloP99Ms, p.sloP99Ms()), or(errorBudget, p.errorBudgetPercent()),
                tracingPair != null ? tracingPair : p.tracingPair(), or(tracingSeconds, p.tracingSeconds()), shared,
                or(chaosRate, p.chaosRate()), or(chaosBusy, chaosRate != null ? 0 : p.chaosBusy()), or(chaosSeconds, p.chaosSeconds()), or(killAt, p.killAtSeconds()),
                or(restartAfter, p.restartAfterSeconds()), or(recoveryDeadline, p.recoveryDeadlineSeconds()),
                crashPoints != null ? crashPoints : p.crashPoints(), or(crashSeconds, p.crashSeconds()),
                or(settleSeconds, p.settleSeconds()), mix != null ? WorkloadMix.parse(mix) : p.mix(),
                seed != null ? seed : p.seed(), p.waitForFinalSeconds(), !noChaos && p.chaos(), !noThroughput && p.throughput(),
                infraFaults == null ? p.infraFaults() : parseInfraFaults(infraFaults),
                rttSweep == null ? p.rttMs() : parseRttSweep(rttSweep), or(rttRate, p.rttRate()), or(rttSeconds, p.rttSeconds()),
                rttInFlight(p),
                twopcBench == null ? p.twopcBench() : parseTwopcBench(twopcBench),
                or(deadlineOrders, p.deadlineOrders()), or(deadlineSeconds, p.deadlineSeconds()),
                or(anomalyBursts, p.anomalyBursts()),
                mechanismFloors != null ? mechanismFloors : p.mechanismFloors(),
                mechanismFloorSeconds(p));
    }

    private int rttInFlight(Plan p) {
        if (rttInFlight != null && (rttInFlight < 0 || rttInFlight > Plan.MAX_RTT_IN_FLIGHT)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--rtt-in-flight must be between 0 and " + Plan.MAX_RTT_IN_FLIGHT + " orders, got " + rttInFlight);
        }
        return rttInFlight != null ? rttInFlight : p.rttInFlight();
    }

    private double mechanismFloorSeconds(Plan p) {
        if (mechanismFloorSeconds != null && (mechanismFloorSeconds < 1 || mechanismFloorSeconds > 600)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--mechanism-floor-seconds must be between 1 and 600, got " + mechanismFloorSeconds);
        }
        return mechanismFloorSeconds != null ? mechanismFloorSeconds : p.mechanismFloorSeconds();
    }

    private String parseTwopcBench(String value) {
        String mode = value.trim().toLowerCase(Locale.ROOT);
        if (!TwopcTax.MODES.contains(mode)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--twopc-bench must be one of " + String.join(", ", TwopcTax.MODES) + ", got '" + value + "'");
        }
        return mode;
    }

    /** {@code none}, or round trips in whole milliseconds (0 to 10000), separated by commas, each once. */
    private List<Integer> parseRttSweep(String value) {
        if (value.isBlank() || value.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Integer> rtts = new ArrayList<>();
        for (String part : value.split(",")) {
            int rtt;
            try {
                rtt = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                rtt = -1;
            }
            if (rtt < 0 || rtt > NetworkDistance.MAX_RTT_MS || rtts.contains(rtt)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--rtt-sweep: '" + part.trim()
                        + "' is not a new round trip in whole ms between 0 and " + NetworkDistance.MAX_RTT_MS
                        + " (e.g. 0,1,10,50, or none)");
            }
            rtts.add(rtt);
        }
        return rtts;
    }

    /** {@code none}, or components of the topology and {@code partition:<from>:<to>} links, separated by commas. */
    private List<String> parseInfraFaults(String value) {
        if (value.isBlank() || value.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<String> components = new ArrayList<>();
        for (String c : value.split(",")) {
            String name = c.trim();
            if (name.startsWith(FaultRuns.MEMORY)) {
                String[] parts = name.substring(FaultRuns.MEMORY.length()).split(":", -1);
                if (Topology.local().ofKind(ComponentKind.SERVICE).stream().noneMatch(spec -> spec.name().equals(parts[0]))
                        || parts.length > 2 || parts.length == 2 && !parts[1].matches("[1-9][0-9]{0,3}")) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--infra-faults: '" + name
                            + "' is not memory:<service>[:<MiB left free>] (e.g. memory:payment-service or memory:payment-service:8)");
                }
                components.add(name);
                continue;
            }
            if (name.startsWith(FaultRuns.DISK_FULL)) {
                String cluster = name.substring(FaultRuns.DISK_FULL.length());
                boolean ok = Topology.local().components().stream().anyMatch(spec -> spec.name().equals(cluster)
                        && spec.kind() == ComponentKind.POSTGRES && !spec.databases().isEmpty());
                if (!ok) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--infra-faults: no PostgreSQL cluster '"
                            + cluster + "' (e.g. disk-full:postgres-payment)");
                }
                components.add(name);
                continue;
            }
            if (name.startsWith(FaultRuns.PARTITION)) {
                String link = name.substring(FaultRuns.PARTITION.length()).replace(':', '>');
                if (Topology.local().links().stream().noneMatch(l -> l.name().equals(link))) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--infra-faults: no link '" + link
                            + "' (e.g. partition:payment-service:postgres-payment; ./txlab fault list shows them all)");
                }
                components.add(name);
                continue;
            }
            try {
                Topology.local().component(name);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--infra-faults: unknown component '" + name + "' (e.g. postgres-payment, kafka, or none)");
            }
            components.add(name);
        }
        return components;
    }

    @Override
    public Integer call() {
        Path root = repo != null ? repo.toAbsolutePath() : locateRepo();
        Path dir = reportDir != null ? reportDir.toAbsolutePath() : root.resolve("report");
        List<String> selected = Comparison.parseFlows(flows);
        Plan plan = plan();
        cleanOwnOutput(dir);
        List<String> devstackArgs = new ArrayList<>(List.of("--repo", root.toString()));
        if (portOffset != 0) {
            devstackArgs.addAll(List.of("--port-offset", Integer.toString(portOffset)));
        }
        if (runDir != null) {
            devstackArgs.addAll(List.of("--run-dir", runDir.toAbsolutePath().toString()));
        }
        StackControl stack = new StackControl(devstackArgs, out);
        Path stackRunDir = runDir != null ? runDir.toAbsolutePath() : Stack.defaultRunDir(root);
        boolean started = false;
        Thread stopOnExit = null;
        try {
            if (reuseStack) {
                out.println("compare: reusing the running stack");
            } else {
                // Zipkin only when tracing's cost is measured; no request starts a trace by itself either way
                out.println("compare: starting the stack (./txlab up" + (plan.tracingPair() ? " --trace-sampling 0" : " --no-zipkin") + ")");
                stack.up(plan.tracingPair() ? List.of("--trace-sampling", "0") : List.of("--no-zipkin"));
                started = true;
                if (!keepStack) {
                    stopOnExit = new Thread(stack::down, "compare-stack-down");
                    Runtime.getRuntime().addShutdownHook(stopOnExit);
                }
            }
            Comparison comparison = new Comparison(plan, selected, Topology.withPortOffset(portOffset), root, stackRunDir, dir,
                    stack, kill, reuseStack || keepStack, out);
            Results.Comparison results = comparison.run();
            comparison.write(results);
            out.println();
            out.print(ReportWriter.consoleTable(results));
            out.println();
            out.println("report: " + dir.resolve("index.html"));
            out.println("        " + dir.resolve("summary.md") + ", " + dir.resolve("results.json"));
            return 0;
        } catch (RuntimeException e) {
            out.println("compare failed: " + e.getMessage());
            if (!reuseStack && !started) {
                out.println("(if a stack is already running, use --reuse-stack or ./txlab down first)");
            }
            return 1;
        } finally {
            if (started && !keepStack) {
                out.println("compare: stopping the stack (./txlab down)");
                try {
                    stack.down();
                } finally {
                    if (stopOnExit != null) {
                        try {
                            Runtime.getRuntime().removeShutdownHook(stopOnExit);
                        } catch (IllegalStateException shuttingDown) {
                            // the hook is running or the JVM is exiting: nothing left to remove
                        }
                    }
                }
            }
        }
    }

    /** Only the folders this command writes: another run's Gatling reports and samples would be linked by mistake. */
    private static void cleanOwnOutput(Path dir) {
        for (String child : List.of("gatling", "samples", "traces")) {
            Path p = dir.resolve(child);
            if (!Files.exists(p)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(p)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                throw new IllegalStateException("could not clean " + p, e);
            }
        }
    }

    static Path locateRepo() {
        String configured = System.getProperty("txlab.repo", System.getenv("TXLAB_REPO"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("load-tests/pom.xml")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the txlab repository (a folder with load-tests/pom.xml): run from inside it, "
                + "pass --repo or set TXLAB_REPO");
    }

    private static double or(Double v, double fallback) {
        return v != null ? v : fallback;
    }

    private static int or(Integer v, int fallback) {
        return v != null ? v : fallback;
    }
}

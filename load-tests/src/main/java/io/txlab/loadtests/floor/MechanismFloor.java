package io.txlab.loadtests.floor;

import io.txlab.devstack.Topology;
import io.txlab.devstack.stack.Stack;
import io.txlab.loadtests.measure.ResourceMeter;
import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.report.Targets;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code ./txlab mechanism-floor}: what each flow's mechanism costs on this machine with nothing of txlab's services
 * around it: the same local writes, the same broker, CDC relay, Temporal server, coordinator log or serializable
 * transaction, driven by plain clients in one JVM at the comparison's rate. Issue 14 asks, for a row whose target cannot be met, for the measured
 * floor of its mechanism; the gap between a flow's figure in the comparison and this one is what the services add
 * (HTTP, Spring, listener containers, their idle work), not what the pattern needs (adr/0047).
 *
 * <p>Per flow: a warm-up at the rate (discarded), a window with no orders, a window at the rate. CPU per order counts
 * the components the mechanism runs on (their whole process trees) and this JVM, as the comparison counts its load
 * generator; "net" subtracts what the same components and this JVM burned per second in the idle window.
 */
@Command(name = "mechanism-floor", mixinStandardHelpOptions = true,
        description = "CPU per order and latency of each flow's mechanism alone (plain Kafka, Debezium, Temporal or JDBC "
                + "clients in one JVM, no services), on the running stack's databases, broker and Temporal server. Start them first "
                + "with: ./txlab up --skip-services --no-zipkin")
public class MechanismFloor implements Callable<Integer> {

    /** The flows that have a mechanism floor: all five, in the comparison's order. */
    public static final List<String> FLOWS = List.of("choreography", "outbox", "orchestration", "twopc", "cockroach");

    @Parameters(arity = "0..*", paramLabel = "<flow>", description = "choreography, outbox, orchestration, twopc, cockroach "
            + "(default: all five)")
    List<String> flows = new ArrayList<>(FLOWS);
    @Option(names = "--rate", description = "orders per second, open model (default: ${DEFAULT-VALUE})")
    double rate = 20;
    @Option(names = "--warmup", description = "warm-up at the rate, discarded (default: 120s)")
    Duration warmup = Duration.ofSeconds(120);
    @Option(names = "--window", description = "the idle window and the loaded window, each (default: 60s)")
    Duration window = Duration.ofSeconds(60);
    @Option(names = "--run-dir", description = "the stack's run folder (its stack.json names the processes; default: the stack's own, "
            + "$TXLAB_RUN_DIR or .txlab/run)")
    Path runDir;
    @Option(names = "--out", description = "where mechanism-floor.json is written (default: ${DEFAULT-VALUE})")
    Path out = Path.of("report/mechanism-floor");

    @Option(names = "--temporal-pollers", description = "orchestration: pollers per task queue for workflow and activity "
            + "tasks (default: the SDK's own)")
    int temporalPollers;
    @Option(names = "--port-offset", description = "the stack's port offset, as given to ./txlab up (default: 0)")
    int portOffset;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** The command's exit code, without exiting (tests). */
    static int run(String... args) {
        return new CommandLine(new MechanismFloor()).registerConverter(Duration.class, MechanismFloor::duration)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // a stack that is not up, an order that failed: one line, not a stack trace
                    cmd.getErr().println("mechanism-floor: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    /** {@code 500ms}, {@code 90s}, {@code 2m}, or ISO-8601 ({@code PT2M}). */
    static Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
        return Duration.parse(text);
    }

    @Override
    public Integer call() throws Exception {
        for (String flow : flows) {
            if (!FLOWS.contains(flow)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown flow '" + flow + "': choose from " + FLOWS);
            }
        }
        if (rate <= 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rate must be above 0");
        }
        Path repo = Path.of(System.getProperty("txlab.repo", "."));
        Topology topology = Topology.withPortOffset(portOffset);
        Stack stack = new Stack(topology, runDir != null ? runDir : Stack.defaultRunDir(repo), repo, System.out);
        ResourceMeter meter = new ResourceMeter(stack.runDir());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "./txlab mechanism-floor " + String.join(" ", flows) + " --rate " + rate + " --warmup "
                + warmup + " --window " + window + (temporalPollers > 0 ? " --temporal-pollers " + temporalPollers : ""));
        report.put("at", Instant.now().toString());
        report.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ", JDK "
                + System.getProperty("java.version") + ", host " + InetAddress.getLocalHost().getHostName());
        List<Map<String, Object>> results = new ArrayList<>();
        for (String flow : flows) {
            Mechanism mechanism = switch (flow) {
                case "choreography" -> new ChoreographyMechanism(topology);
                case "outbox" -> new OutboxMechanism(topology);
                case "orchestration" -> new OrchestrationMechanism(topology, temporalPollers);
                case "twopc" -> new TwopcMechanism(topology);
                default -> new CockroachMechanism(topology);
            };
            requireRunning(stack, topology, mechanism.components());
            try (mechanism) {
                results.add(measure(flow, mechanism, meter));
            }
        }
        report.put("flows", results);
        Files.createDirectories(out);
        Path file = out.resolve("mechanism-floor.json");
        ReportWriter.JSON.writeValue(file.toFile(), report);
        System.out.println("\nwritten: " + file);
        return 0;
    }

    /**
     * Every component the mechanism runs on is one the stack recorded (its run folder's stack.json) and is still
     * running: its recorded process alive and the one started ({@link Stack#aliveComponents}), or else its port
     * answering. A CI run once found every PostgreSQL cluster of a live stack "not running" while the comparison used
     * them: the records then held only start instants, which two JVMs started far apart can compute seconds apart
     * (see {@code ProcessControl.startInstantMs}). Records now hold the kernel's start in ticks; the port stays as
     * the answer for a stack recorded before that.
     */
    private static void requireRunning(Stack stack, Topology topology, Set<String> needed) {
        Set<String> recorded = stack.state().map(s -> s.components().keySet()).orElse(Set.of());
        List<String> alive = stack.aliveComponents();
        Set<String> missing = new TreeSet<>();
        for (String component : needed) {
            boolean running = alive.contains(component)
                    || recorded.contains(component) && answers(topology.component(component).port());
            if (!running) {
                missing.add(component);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not running: " + String.join(", ", missing)
                    + " (stack run folder " + stack.runDir() + "); start the infrastructure first: "
                    + "./txlab up --skip-services --no-zipkin");
        }
    }

    /** Whether something accepts a TCP connection on the port, on this machine, within a second. */
    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Completions of one phase: how many, how many failed, latency from each order's due time to its final commit. */
    private static final class Tracker {
        final AtomicLong done = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Histogram latencyMicros = new Histogram(60_000_000L, 3);
        volatile Throwable firstError;

        void done(MechanismDatabases.Order order, Throwable error) {
            if (error != null) {
                failed.incrementAndGet();
                if (firstError == null) {
                    firstError = error;
                }
            } else {
                synchronized (latencyMicros) {
                    latencyMicros.recordValue(Math.max(0, (System.nanoTime() - order.dueNanos()) / 1_000));
                }
            }
            done.incrementAndGet();
        }
    }

    private Map<String, Object> measure(String flow, Mechanism mechanism, ResourceMeter meter) throws Exception {
        Tracker[] phase = {new Tracker()};
        System.out.printf("%n%s: %s%n", flow, mechanism.describe());
        mechanism.start((order, error) -> phase[0].done(order, error));
        AtomicLong seq = new AtomicLong();

        System.out.printf("%s: warm-up %d s at %.1f/s ...%n", flow, warmup.toSeconds(), rate);
        long placed = drive(mechanism, seq, warmup);
        awaitAll(flow, phase[0], placed);

        System.out.printf("%s: idle window %d s ...%n", flow, window.toSeconds());
        ResourceMeter.Reading idleFrom = meter.read();
        Thread.sleep(window.toMillis());
        ResourceMeter.Reading idleTo = meter.read();

        System.out.printf("%s: loaded window %d s at %.1f/s ...%n", flow, window.toSeconds(), rate);
        Tracker loaded = new Tracker();
        phase[0] = loaded;
        ResourceMeter.Reading from = meter.read();
        placed = drive(mechanism, seq, window);
        awaitAll(flow, loaded, placed);
        ResourceMeter.Reading to = meter.read();

        Set<String> counted = mechanism.components();
        Results.Resources idle = ResourceMeter.between(idleFrom, idleTo, 0, Targets.SATURATED_BUSY_PERCENT, counted);
        Results.Resources busy = ResourceMeter.between(from, to, loaded.done.get(), Targets.SATURATED_BUSY_PERCENT, counted);
        long orders = busy.orders();
        Map<String, Double> gross = new LinkedHashMap<>();
        Map<String, Double> net = new LinkedHashMap<>();
        Map<String, Double> idleShare = new LinkedHashMap<>();
        double grossTotal = 0;
        double netTotal = 0;
        for (Map.Entry<String, Double> e : busy.cpuMsPerOrder().entrySet()) {
            String name = e.getKey().equals(ResourceMeter.LOAD_GENERATOR) ? "mechanism-jvm" : e.getKey();
            double idlePercent = idle.percentOfCore().getOrDefault(e.getKey(), 0.0);
            double idleMs = idlePercent / 100 * busy.seconds() * 1000 / orders;
            idleShare.put(name, idlePercent);
            gross.put(name, round(e.getValue()));
            net.put(name, round(e.getValue() - idleMs));
            grossTotal += e.getValue();
            netTotal += e.getValue() - idleMs;
        }
        Histogram h = loaded.latencyMicros;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("flow", flow);
        result.put("mechanism", mechanism.describe());
        result.put("rate", rate);
        result.put("orders", orders);
        result.put("failed", loaded.failed.get());
        result.put("seconds", round(busy.seconds()));
        result.put("cpuMsPerOrder", round(grossTotal));
        result.put("cpuMsPerOrderNetOfIdle", round(netTotal));
        result.put("cpuMsPerOrderByComponent", gross);
        result.put("cpuMsPerOrderByComponentNetOfIdle", net);
        result.put("idlePercentOfCore", idleShare);
        result.put("machineBusyPercent", busy.machineBusyPercent());
        result.put("ioStallPercent", busy.ioStallPercent());
        result.put("p50Ms", round(h.getValueAtPercentile(50) / 1000.0));
        result.put("p99Ms", round(h.getValueAtPercentile(99) / 1000.0));
        long confirmed = mechanism.confirmedOrders();
        result.put("confirmedInDatabase", confirmed);
        result.putAll(mechanism.counters());
        if (confirmed != seq.get()) {
            throw new IllegalStateException(flow + ": " + seq.get() + " orders placed but " + confirmed
                    + " CONFIRMED in the order database");
        }

        System.out.printf("%s: %d orders in %.1f s, %d failed; p50 %.2f ms, p99 %.2f ms; machine %.1f %% busy, I/O stalled "
                        + "%.1f %% of the time%n", flow, orders, busy.seconds(), loaded.failed.get(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, busy.machineBusyPercent(),
                busy.ioStallPercent());
        System.out.printf("  %-22s %10s %12s %14s%n", "CPU ms per order", "gross", "net of idle", "idle % of core");
        gross.forEach((name, g) -> System.out.printf("  %-22s %10.2f %12.2f %14.2f%n", name, g, net.get(name),
                idleShare.get(name)));
        System.out.printf("  %-22s %10.2f %12.2f%n", "total", round(grossTotal), round(netTotal));
        mechanism.counters().forEach((name, value) -> System.out.printf("  %s (whole run): %s%n", name, value));
        return result;
    }

    /** Open model: order i is due at start + i / rate whatever happened to the ones before. */
    private long drive(Mechanism mechanism, AtomicLong seq, Duration length) {
        long count = Math.round(rate * length.toMillis() / 1000.0);
        long start = System.nanoTime() + 20_000_000L;
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            mechanism.place(MechanismDatabases.Order.of(seq.getAndIncrement(), due));
        }
        return count;
    }

    private static void awaitAll(String flow, Tracker tracker, long placed) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (tracker.done.get() < placed && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        if (tracker.done.get() < placed) {
            throw new IllegalStateException(flow + ": " + (placed - tracker.done.get()) + " of " + placed
                    + " orders did not finish within 60 s");
        }
        if (tracker.failed.get() > 0) {
            throw new IllegalStateException(flow + ": " + tracker.failed.get() + " of " + placed + " orders failed, first: "
                    + tracker.firstError, tracker.firstError);
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}

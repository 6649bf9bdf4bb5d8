package io.txlab.loadtests.compare;

import io.txlab.devstack.ComponentKind;
import io.txlab.devstack.ComponentSpec;
import io.txlab.devstack.Topology;
import io.txlab.loadtests.audit.Auditor;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.devstack.process.Poll;
import io.txlab.loadtests.chaos.Availability;
import io.txlab.loadtests.chaos.DiskFull;
import io.txlab.loadtests.chaos.OrderStore;
import io.txlab.loadtests.chaos.RecoveryAnalysis;
import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.report.Results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import static io.txlab.loadtests.compare.Comparison.fmt;
import static io.txlab.loadtests.compare.Comparison.sleep;

/**
 * The runs with a fault in them, and the recovery of every flow in the run. Each kind of fault is one {@link Fault}:
 * a chaos run SIGKILLs the component at {@code killAt} ({@link Kill}); a crash-point run first restarts it with the
 * {@code chaos} profile and the crash point armed, and the fault is the moment the process halts itself, seen within
 * 100 ms ({@link Halt}); both restart it (disarmed) {@code restartAfter} seconds later. A partition run cuts a link of
 * the link proxy at {@code killAt} and heals it {@link #PARTITION_SECONDS} later ({@link Partition}). Then the run's
 * orders are followed in the databases until all are final or the deadline passes, the run is audited, and each
 * flow's recovery is computed from its own orders.
 */
final class FaultRuns {

    /** Orders created this soon after the recorded kill instant were already being placed when it happened. */
    static final long IN_FLIGHT_SLACK_MS = 500;

    private final Plan plan;
    private final Topology topology;
    private final StackControl stack;
    private final LoadRuns runs;
    private final OrderStore store;
    private final Auditor auditor;
    private final Consumer<String> progress;
    /** The load phases of the runs so far: each run's must differ, or its orders replay an earlier run's. */
    private final Set<String> phases = new HashSet<>();
    /** A flow's whole-stack CPU ms per order as the comparison measured it before the fault runs; null: not measured. */
    private final Function<String, Double> cpuPerOrder;

    /** The stack's run directory: a full disk's tmpfs is mounted in it, where the clusters' user can reach it. */
    private final Path runDir;
    /** The comparison's discarded warm-up, for a run that restarts a service before its load. */
    private final Warmup warmup;

    /** A discarded run of the flows, its phase part of its orders' keys, announced with the label. */
    @FunctionalInterface
    interface Warmup {
        void run(List<String> flows, String phase, String label);
    }

    FaultRuns(Plan plan, Topology topology, StackControl stack, LoadRuns runs, OrderStore store, Auditor auditor,
              Function<String, Double> cpuPerOrder, Path runDir, Warmup warmup, Consumer<String> progress) {
        this.plan = plan;
        this.runDir = runDir;
        this.warmup = warmup;
        this.cpuPerOrder = cpuPerOrder;
        this.topology = topology;
        this.stack = stack;
        this.runs = runs;
        this.store = store;
        this.auditor = auditor;
        this.progress = progress;
    }

    /**
     * A fault run's rate, orders/s in total: {@code maxRate}, or lower if the flows' measured CPU per order (they take
     * turns, so their mean) would keep more than {@code busy} of the machine's {@code cores} busy. A fault builds a
     * backlog, and only the capacity left over drains it: at {@code busy} 0.5 the stack drains it about as fast as it
     * built up. Flows without a measured cost do not lower it; {@code busy} 0 turns the cap off.
     */
    static double rate(double maxRate, double busy, int cores, List<Double> cpuMsPerOrder) {
        List<Double> known = cpuMsPerOrder.stream().filter(c -> c != null && c > 0 && Double.isFinite(c)).toList();
        if (busy <= 0 || known.isEmpty()) {
            return maxRate;
        }
        double mean = known.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double fits = busy * cores * 1000 / mean;
        // whole orders per second per flow, at least one: the load generator's turns need a rate each flow can share
        double floor = Math.max(cpuMsPerOrder.size(), Math.floor(fits));
        return Math.min(maxRate, floor);
    }

    private double rateFor(List<String> flows) {
        return rate(plan.chaosRate(), plan.chaosBusy(), Runtime.getRuntime().availableProcessors(),
                flows.stream().map(cpuPerOrder).toList());
    }

    /** The shared chaos run: the flows take turns, and one SIGKILL of {@code component} hits them all at once. */
    Map<String, Results.Chaos> shared(List<String> flows, String component) {
        return new FaultRun(new Kill("shared", component), flows, plan.chaosSeconds()).run();
    }

    /** How an infrastructure fault names a partitioned link: {@code partition:<from>:<to>}. */
    static final String PARTITION = "partition:";

    /**
     * How long a partition lasts: longer than the coordinator's 3 s read timeout and the services' 5 s pool connection
     * timeout, so each flow shows what it does when the silence outlasts its own timeouts (a restart pause of 2-3 s
     * would not).
     */
    static final double PARTITION_SECONDS = 10;

    /**
     * A shared run in which the link {@code from>to} is partitioned at the kill instant and healed {@link
     * #PARTITION_SECONDS} later. The link proxy is started first if it is not running, and every service restarted to
     * use it; they stay so for the rest of the comparison.
     */
    Map<String, Results.Chaos> partition(List<String> flows, String from, String to) {
        return new FaultRun(new Partition(from, to), flows, plan.chaosSeconds()).run();
    }

    /**
     * Starts the link proxy unless it runs, then restarts every service so that it connects through it; they stay so for
     * the rest of the comparison. Every service, not only one link's: a service's URLs can come from another
     * (order-service hands the coordinator the participants' URLs, which must be the coordinator's links and on its
     * allow-list). Throws with the reason if that failed; returns whether it restarted them (their JIT is cold again).
     */
    boolean behindLinkProxy(String label) {
        if (listening(Topology.LINKS)) {
            return false;
        }
        progress.accept(label + ": starting the link proxy and restarting every service behind it");
        try {
            stack.restart(Topology.LINKS);
            for (ComponentSpec service : topology.ofKind(ComponentKind.SERVICE)) {
                stack.restart(service.name());
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("could not put the services behind the link proxy: " + e.getMessage(), e);
        }
        return true;
    }

    /** How an infrastructure fault names a cluster whose disk fills up: {@code disk-full:<cluster>}. */
    static final String DISK_FULL = "disk-full:";

    /**
     * How long a disk stays full: as long as a partition, longer than the services' retries of one step, so each flow
     * shows what it does when a participant refuses its writes for longer than a blip.
     */
    static final double DISK_FULL_SECONDS = 10;

    /** How an infrastructure fault names a service whose heap is squeezed: {@code memory:<service>}. */
    static final String MEMORY = "memory:";

    /** How long a heap stays squeezed: as long as a full disk. */
    static final double MEMORY_SECONDS = 10;

    /**
     * The MiB of heap a squeezed service is left (of its 256) unless the fault names another
     * ({@code memory:<service>:<MiB>}): a few requests' worth, so the collector runs again and again.
     */
    static final int MEMORY_HEADROOM_MIB = 16;

    /** One of {@link Plan#infraFaults()}: a partition, a full disk, a squeezed heap, or a component to SIGKILL. */
    Map<String, Results.Chaos> infra(List<String> flows, String fault) {
        if (fault.startsWith(PARTITION)) {
            String[] link = fault.substring(PARTITION.length()).split(":");
            return partition(flows, link[0], link[1]);
        }
        if (fault.startsWith(MEMORY)) {
            String[] parts = fault.substring(MEMORY.length()).split(":");
            int headroom = parts.length > 1 ? Integer.parseInt(parts[1]) : MEMORY_HEADROOM_MIB;
            return new FaultRun(new MemoryPressureFault(parts[0], headroom, flows), flows, plan.chaosSeconds()).run();
        }
        if (fault.startsWith(DISK_FULL)) {
            return new FaultRun(new DiskFullFault(fault.substring(DISK_FULL.length())), flows, plan.chaosSeconds()).run();
        }
        return shared(flows, fault);
    }

    /** One flow's own chaos run: a SIGKILL of {@code component}. */
    Results.Chaos perFlow(String flow, String component) {
        return new FaultRun(new Kill("per-flow", component), List.of(flow), plan.chaosSeconds()).run().get(flow);
    }

    /** One flow's crash-point run; {@code point == null}: not run, the flow has no moment to halt in. */
    Results.Chaos crashPoint(String flow, Comparison.CrashPoint point) {
        if (point == null) {
            Results.Chaos none = Results.Chaos.notRun("crash-point", null, null, List.of(flow),
                    "no crash point: the flow is one transaction, there is no moment between two commits to halt in");
            progress.accept(flow + ": crash point: none (" + none.error() + ")");
            return none;
        }
        return new FaultRun(new Halt(point.service(), point.name()), List.of(flow), plan.crashSeconds()).run().get(flow);
    }

    /**
     * What a fault run does to the stack. The run calls these in order: {@link #prepare} before the load, then on the
     * fault thread {@link #inject} and, {@link #seconds} later, {@link #undo}; once the load ended, {@link #cleanUp}
     * if the fault thread did not undo it.
     */
    private sealed interface Fault permits Restarted, Partition, DiskFullFault, MemoryPressureFault {

        /** How the results name the run: {@code shared}, {@code per-flow}, {@code crash-point} or {@code partition}. */
        String mode();

        /** What the results name as the fault's target: a component, or {@code from>to} for a link. */
        String target();

        /**
         * The load run's phase, part of its run id and so of every order's Idempotency-Key: per fault, so that two
         * shared runs (a kill of the broker after a kill of a database) place orders of their own instead of replaying
         * the first one's keys.
         */
        String phase();

        /** The crash point the service halts itself at; null for the other faults. */
        default String crashPoint() {
            return null;
        }

        /** Before the load; throws with the reason if the run cannot happen. */
        default void prepare(String label) {
        }

        /** How the run's progress lines and audits name it. */
        String label(List<String> flows);

        /** The progress line that announces the run. */
        String announce(String label, double seconds, double rate, List<String> flows);

        /**
         * Waits for the fault's moment and brings it about; returns its instant (epoch ms). Throws with the reason if
         * it did not happen before {@code runEnd}.
         */
        long inject(String label, long runEnd) throws InterruptedException;

        /** How long the fault lasts before {@link #undo}. */
        double seconds();

        /** Ends the fault (a restart, a heal); returns what the progress line reports. */
        String undo(long began);

        /** After the load, when the fault thread did not undo the fault: nothing may stay broken for the next run. */
        void cleanUp(String label);

        /** After the run's recovery and audit, always: whatever the fault set up for itself is taken down. */
        default void finish(String label) {
        }
    }

    /** A fault that ends with the component restarted, {@code restartAfter} after it. */
    private abstract sealed class Restarted implements Fault permits Kill, Halt {
        final String component;

        Restarted(String component) {
            this.component = component;
        }

        @Override
        public String target() {
            return component;
        }

        @Override
        public double seconds() {
            return plan.restartAfterSeconds();
        }

        @Override
        public String undo(long began) {
            stack.restart(component);
            return component + " healthy again after " + fmt((System.currentTimeMillis() - began) / 1000.0) + " s";
        }
    }

    /** A SIGKILL of a component at {@code killAt}. */
    private final class Kill extends Restarted {
        private final String mode;

        Kill(String mode, String component) {
            super(component);
            this.mode = mode;
        }

        @Override
        public String mode() {
            return mode;
        }

        @Override
        public String phase() {
            return "chaos-" + component;
        }

        @Override
        public String label(List<String> flows) {
            return mode.equals("shared") ? "shared chaos (" + component + ")" : String.join(",", flows) + ": chaos";
        }

        @Override
        public String announce(String label, double seconds, double rate, List<String> flows) {
            return String.format(Locale.ROOT, "%s: %.0f s at %s/s%s, SIGKILL %s at %s s, restart %s s later", label,
                    seconds, fmt(rate), flows.size() > 1 ? " (" + String.join(", ", flows) + " in turn)" : "", component,
                    fmt(plan.killAtSeconds()), fmt(plan.restartAfterSeconds()));
        }

        @Override
        public long inject(String label, long runEnd) throws InterruptedException {
            Thread.sleep((long) (plan.killAtSeconds() * 1000));
            long at = stack.kill(component);
            progress.accept(label + ": killed " + component);
            return at;
        }

        @Override
        public void cleanUp(String label) {
            if (!listening(component)) {
                // the restart failed (e.g. not ready in time on a starved machine): the component must not stay down
                // for the rest of the comparison; one more restart, and the run keeps its error
                progress.accept(label + ": " + component + " was not restarted healthy; restarting it once more");
                restartQuietly(component);
            }
        }
    }

    /**
     * A crash point: the service is restarted with the {@code chaos} profile and the point armed, and the fault is the
     * moment it halts itself there (seen within 100 ms); it is restarted disarmed {@code restartAfter} later.
     */
    private final class Halt extends Restarted {
        private final String point;

        Halt(String service, String point) {
            super(service);
            this.point = point;
        }

        @Override
        public String mode() {
            return "crash-point";
        }

        @Override
        public String phase() {
            return "crash";
        }

        @Override
        public String label(List<String> flows) {
            return String.join(",", flows) + ": crash point";
        }

        @Override
        public String crashPoint() {
            return point;
        }

        @Override
        public void prepare(String label) {
            progress.accept(String.format(Locale.ROOT, "%s: restarting %s with the chaos profile and %s armed",
                    label, component, point));
            try {
                stack.restart(component, Map.of("SPRING_PROFILES_ACTIVE", "chaos", "TXLAB_CHAOS_CRASH_POINTS", point));
            } catch (RuntimeException e) {
                restartQuietly(component);
                throw new IllegalStateException("could not arm the crash point: " + e.getMessage(), e);
            }
        }

        @Override
        public String announce(String label, double seconds, double rate, List<String> flows) {
            return String.format(Locale.ROOT, "%s: %.0f s at %s/s, %s halts itself at %s, restart %s s later",
                    label, seconds, fmt(rate), component, point, fmt(plan.restartAfterSeconds()));
        }

        @Override
        public long inject(String label, long runEnd) throws InterruptedException {
            while (System.currentTimeMillis() < runEnd && listening(component)) {
                Thread.sleep(100);
            }
            if (listening(component)) {
                throw new IllegalStateException("the crash point " + point + " was never reached during the run");
            }
            progress.accept(label + ": " + component + " halted itself at " + point);
            return System.currentTimeMillis();
        }

        @Override
        public void cleanUp(String label) {
            // never halted, or the restart failed: the component must not stay armed, or down, for the rest of the comparison
            progress.accept(label + ": " + component + " was not restarted healthy; restarting it once more");
            restartQuietly(component);
        }
    }

    /** The link {@code from>to} of the link proxy partitioned at {@code killAt} and healed {@link #PARTITION_SECONDS} later. */
    private final class Partition implements Fault {
        private final String from;
        private final String to;

        Partition(String from, String to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public String mode() {
            return "partition";
        }

        @Override
        public String phase() {
            return "partition-" + from + "-" + to;
        }

        @Override
        public String label(List<String> flows) {
            return "partition";
        }

        @Override
        public String target() {
            return from + ">" + to;
        }

        /** The services behind the link proxy ({@link #behindLinkProxy}). */
        @Override
        public void prepare(String label) {
            behindLinkProxy(label);
        }

        @Override
        public String announce(String label, double seconds, double rate, List<String> flows) {
            return String.format(Locale.ROOT, "%s: %.0f s at %s/s (%s in turn), partition %s at %s s, heal %s s later",
                    label, seconds, fmt(rate), String.join(", ", flows), target(), fmt(plan.killAtSeconds()),
                    fmt(PARTITION_SECONDS));
        }

        @Override
        public long inject(String label, long runEnd) throws InterruptedException {
            Thread.sleep((long) (plan.killAtSeconds() * 1000));
            long at = System.currentTimeMillis();
            stack.fault("partition", from, to);
            progress.accept(label + ": partitioned " + target());
            return at;
        }

        @Override
        public double seconds() {
            return PARTITION_SECONDS;
        }

        @Override
        public String undo(long began) {
            stack.fault("heal", from, to);
            return "healed " + target();
        }

        @Override
        public void cleanUp(String label) {
            try {
                stack.fault("heal", from, to);
            } catch (RuntimeException e) {
                progress.accept("could not heal " + target() + ": " + e.getMessage());
            }
        }
    }

    /**
     * A cluster's disk full ({@link DiskFull}): before the load its services' databases are moved onto a small tmpfs;
     * at {@code killAt} the tmpfs is filled, so every write that needs a new page fails with SQLSTATE 53100, and
     * {@link #DISK_FULL_SECONDS} later it is freed. After the run the databases move back and the tmpfs is unmounted.
     */
    private final class DiskFullFault implements Fault {
        private final String cluster;
        private DiskFull disk;

        DiskFullFault(String cluster) {
            this.cluster = cluster;
        }

        @Override
        public String mode() {
            return "disk-full";
        }

        @Override
        public String target() {
            return cluster;
        }

        @Override
        public String phase() {
            return "disk-full-" + cluster;
        }

        @Override
        public String label(List<String> flows) {
            return "disk full (" + cluster + ")";
        }

        @Override
        public void prepare(String label) {
            List<String> urls = topology.component(cluster).databases().stream()
                    .map(d -> topology.jdbcUrl(cluster, d.name())).toList();
            disk = new DiskFull(runDir.resolve("disk-full-" + cluster), urls, PostgresCluster.SUPERUSER,
                    PostgresCluster.SUPERUSER_PASSWORD);
            disk.prepare();
            progress.accept(label + ": " + urls.size() + " database(s) of " + cluster + " moved onto a tmpfs of their own ("
                    + disk.mountPoint().getFileName() + ")");
        }

        @Override
        public String announce(String label, double seconds, double rate, List<String> flows) {
            return String.format(Locale.ROOT, "%s: %.0f s at %s/s (%s in turn), disk full at %s s, freed %s s later",
                    label, seconds, fmt(rate), String.join(", ", flows), fmt(plan.killAtSeconds()), fmt(DISK_FULL_SECONDS));
        }

        @Override
        public long inject(String label, long runEnd) throws InterruptedException {
            Thread.sleep((long) (plan.killAtSeconds() * 1000));
            long at = System.currentTimeMillis();
            long filled = disk.fill();
            progress.accept(String.format(Locale.ROOT, "%s: filled (%.0f MiB written, %d bytes left)", label,
                    filled / 1048576.0, disk.freeBytes()));
            return at;
        }

        @Override
        public double seconds() {
            return DISK_FULL_SECONDS;
        }

        @Override
        public String undo(long began) {
            disk.free();
            return "freed the disk of " + cluster;
        }

        @Override
        public void cleanUp(String label) {
            try {
                disk.free();
            } catch (RuntimeException e) {
                progress.accept("could not free the disk of " + cluster + ": " + e.getMessage());
            }
        }

        @Override
        public void finish(String label) {
            try {
                disk.close();
            } catch (RuntimeException e) {
                progress.accept(label + ": " + e.getMessage());
            }
        }
    }

    /**
     * A service's heap squeezed from inside (the platform's {@code MemoryPressure}, chaos profile only): before the load
     * the service is restarted with the {@code chaos} profile and a trigger file, and the flows warmed up again (the
     * restart left its JIT cold); at {@code killAt} the file appears and the service holds all its free heap but
     * {@code headroomMib}; {@link #MEMORY_SECONDS} later the file goes and the heap is released. After the audit the
     * service is restarted without the profile.
     */
    private final class MemoryPressureFault implements Fault {
        private final String service;
        private final int headroomMib;
        private final List<String> flows;
        private final Path trigger;
        private final Path answer;

        MemoryPressureFault(String service, int headroomMib, List<String> flows) {
            this.service = service;
            this.headroomMib = headroomMib;
            this.flows = flows;
            this.trigger = runDir.resolve("memory-pressure-" + service);
            this.answer = runDir.resolve("memory-pressure-" + service + ".held");
        }

        @Override
        public String mode() {
            return "memory";
        }

        /** The service and what it is left: two runs of one service with different amounts read apart in the report. */
        @Override
        public String target() {
            return service + " (" + headroomMib + " MiB free)";
        }

        @Override
        public String phase() {
            return "memory-" + service + "-" + headroomMib;
        }

        @Override
        public String label(List<String> flows) {
            return "memory pressure (" + service + ", " + headroomMib + " MiB free)";
        }

        @Override
        public void prepare(String label) {
            progress.accept(label + ": restarting " + service + " with the chaos profile and a memory-pressure trigger");
            try {
                Files.deleteIfExists(trigger);
                Files.deleteIfExists(answer);
                stack.restart(service, Map.of("SPRING_PROFILES_ACTIVE", "chaos",
                        "TXLAB_CHAOS_MEMORY_PRESSURE_FILE", trigger.toString()));
            } catch (IOException | RuntimeException e) {
                restartQuietly(service);
                throw new IllegalStateException("could not arm the memory pressure: " + e.getMessage(), e);
            }
            warmup.run(flows, "warmup-" + phase(), label + ": warm-up after the restart");
        }

        @Override
        public String announce(String label, double seconds, double rate, List<String> flows) {
            return String.format(Locale.ROOT, "%s: %.0f s at %s/s (%s in turn), heap squeezed to %d MiB free at %s s, "
                            + "released %s s later", label, seconds, fmt(rate), String.join(", ", flows),
                    headroomMib, fmt(plan.killAtSeconds()), fmt(MEMORY_SECONDS));
        }

        @Override
        public long inject(String label, long runEnd) throws InterruptedException {
            Thread.sleep((long) (plan.killAtSeconds() * 1000));
            long at = System.currentTimeMillis();
            try {
                Files.writeString(trigger, headroomMib + "\n");
            } catch (IOException e) {
                throw new IllegalStateException("could not write " + trigger + ": " + e.getMessage(), e);
            }
            // the answer is moved into place whole: once it reads, it is complete
            AtomicReference<String> held = new AtomicReference<>();
            boolean squeezed = Poll.until(Duration.ofMillis(Math.max(0, runEnd - System.currentTimeMillis())), POLL,
                    () -> {
                        held.set(read(answer));
                        return true;
                    });
            if (!squeezed) {
                interruptedOr(service + " did not squeeze its heap (no " + answer.getFileName() + ")");
            }
            String[] mib = held.get().split(" ");
            progress.accept(label + ": " + service + " holds " + mib[0] + " MiB of its " + mib[1] + " MiB heap");
            return at;
        }

        @Override
        public double seconds() {
            return MEMORY_SECONDS;
        }

        @Override
        public String undo(long began) {
            cleanUp("");
            if (!Poll.until(Duration.ofSeconds(10), POLL, () -> !Files.exists(answer))) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted");
                }
                throw new IllegalStateException(service + " did not release its heap within 10 s");
            }
            return "released the heap of " + service;
        }

        @Override
        public void cleanUp(String label) {
            try {
                Files.deleteIfExists(trigger);
            } catch (IOException e) {
                progress.accept("could not delete " + trigger + ": " + e.getMessage());
            }
        }

        /** Back without the chaos profile, whatever happened. */
        @Override
        public void finish(String label) {
            cleanUp(label);
            progress.accept(label + ": restarting " + service + " without the chaos profile");
            restartQuietly(service);
        }

        private static final Duration POLL = Duration.ofMillis(50);

        private static String read(Path file) {
            try {
                return Files.readString(file).strip();
            } catch (IOException notYet) {
                throw new UncheckedIOException(notYet);
            }
        }

        /** Throws InterruptedException if the wait ended because this thread was interrupted, else the failure. */
        private static void interruptedOr(String failure) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException(failure);
            }
            throw new IllegalStateException(failure);
        }
    }

    /**
     * Whether the component still listens on its port: a process that halted itself stops at once, and the
     * connection is then refused. A connect that times out (a service saturated under load, its accept queue
     * full) is not a halt.
     */
    private boolean listening(String component) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", topology.component(component).port()), 500);
            return true;
        } catch (java.net.SocketTimeoutException busy) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private void restartQuietly(String component) {
        try {
            stack.restart(component);
        } catch (RuntimeException e) {
            progress.accept("could not restart " + component + ": " + e.getMessage());
        }
    }

    private static void join(Thread faultThread) {
        try {
            faultThread.join(Duration.ofSeconds(180).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run's start (its first order) and the fault's and the healthy restart's instants, epoch ms (0: none). */
    private record Instants(long t0, long fault, long healthy) {
    }

    /** One run with a fault in it. The fault and its undoing happen in a thread of their own while the load runs. */
    private final class FaultRun {

        private final Fault fault;
        private final String phase;
        private final List<String> flows;
        private final double rate;
        private final double seconds;
        private final String label;
        private final AtomicLong faultAt = new AtomicLong();
        private final AtomicLong restartBegan = new AtomicLong();
        private final AtomicLong healthyAt = new AtomicLong();
        private final AtomicReference<String> error = new AtomicReference<>();

        FaultRun(Fault fault, List<String> flows, double seconds) {
            this.fault = fault;
            this.phase = uniquePhase(phases, String.join(",", flows), fault.phase());
            this.flows = flows;
            this.rate = rateFor(flows);
            this.seconds = seconds;
            this.label = fault.label(flows);
        }

        Map<String, Results.Chaos> run() {
            Set<String> scope = Set.copyOf(flows);
            Auditor.Baseline before = auditor.audit("before " + label, scope, Auditor.Baseline.NONE).baseline();
            try {
                fault.prepare(label);
            } catch (RuntimeException e) {
                return notRun(e.getMessage());
            }
            try {
                if (rate < plan.chaosRate()) {
                    progress.accept(String.format(Locale.ROOT, "%s: rate %s orders/s instead of %s: the flows' measured CPU per "
                            + "order %s ms would keep more than %s %% of the machine busy", label, fmt(rate), fmt(plan.chaosRate()),
                            flows.stream().map(f -> f + " " + (cpuPerOrder.apply(f) == null ? "?" : fmt(cpuPerOrder.apply(f)))).toList(),
                            fmt(plan.chaosBusy() * 100)));
                }
                progress.accept(fault.announce(label, seconds, rate, flows));
                long runEnd = System.currentTimeMillis() + (long) (seconds * 1000) + 2000;
                Thread faultThread = new Thread(() -> injectAndUndo(runEnd), "chaos-" + fault.mode());
                faultThread.setDaemon(true);
                long gatlingCalled = System.currentTimeMillis();
                faultThread.start();
                GatlingRunner.Run load = runs.run(LoadRuns.Spec.constant(flows, phase, rate, (int) Math.round(seconds))
                        .withHtml(), control -> { });
                join(faultThread);
                if (healthyAt.get() == 0) {
                    fault.cleanUp(label);
                }
                long t0 = load.samples().stream().mapToLong(OrderSample::startEpochMs).min().orElse(gatlingCalled);
                if (faultAt.get() == 0) {
                    return byFlow(flow -> withoutFault(load, flow, t0));
                }
                List<OrderStore.StoredOrder> orders = awaitRecovery(load.settings().runId());
                progress.accept(label + ": audit");
                Results.Audit audit = auditor.audit(label, scope, before).audit();
                progress.accept(label + ": audit " + audit.status() + " " + audit.violationsByFlow());
                Instants at = new Instants(t0, faultAt.get(), healthyAt.get());
                return byFlow(flow -> recovery(load, flow, at, orders, audit));
            } finally {
                fault.finish(label);
            }
        }

        /** The fault thread: the fault at its moment, then after its length the restart or the heal. */
        private void injectAndUndo(long runEnd) {
            try {
                faultAt.set(fault.inject(label, runEnd));
                Thread.sleep((long) (fault.seconds() * 1000));
                long began = System.currentTimeMillis();
                restartBegan.set(began);
                String undone = fault.undo(began);
                healthyAt.set(System.currentTimeMillis());
                progress.accept(label + ": " + undone);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error.set("interrupted");
            } catch (RuntimeException e) {
                error.set(e.getMessage());
                progress.accept(label + ": chaos action failed: " + e.getMessage());
            }
        }

        /**
         * Follows the run's orders in the databases until all are final, then until no prepared transaction is left,
         * both at most until the deadline ({@code recoveryDeadline} after the restart was healthy, or from now if it
         * never was). Returns the orders as last read.
         */
        private List<OrderStore.StoredOrder> awaitRecovery(String runId) {
            long deadline = (healthyAt.get() > 0 ? healthyAt.get() : System.currentTimeMillis()) + (long) (plan.recoveryDeadlineSeconds() * 1000);
            List<OrderStore.StoredOrder> orders = awaitFinal(runId, deadline);
            // the orders being final is not the end of a 2PC recovery: branches can still be prepared (e.g. the order's
            // committed, the inventory's not yet); audit once they are resolved, or at the deadline
            while (System.currentTimeMillis() <= deadline && auditor.preparedTransactionsLeft()) {
                sleep(250);
            }
            return orders;
        }

        private List<OrderStore.StoredOrder> awaitFinal(String runId, long deadline) {
            List<OrderStore.StoredOrder> orders = List.of();
            while (true) {
                try {
                    orders = store.ordersOfRun(runId);
                    if (orders.stream().allMatch(o -> o.completedEpochMs() != null)) {
                        return orders;
                    }
                } catch (SQLException e) {
                    // a killed database may be one of those asked; keep asking until the deadline
                }
                if (System.currentTimeMillis() > deadline) {
                    return orders;
                }
                sleep(250);
            }
        }

        /** One flow's recovery from the fault, from its own orders in the databases and its samples. */
        private Results.Chaos recovery(GatlingRunner.Run load, String flow, Instants at, List<OrderStore.StoredOrder> orders,
                                       Results.Audit audit) {
            List<OrderSample> samples = OrderSample.ofFlow(load.samples(), flow);
            List<OrderStore.StoredOrder> mine = orders.stream().filter(o -> o.flow().equals(flow)).toList();
            // created_at is the service's clock at the start of its transaction: a request whose commit was on its
            // way when the process died can carry a timestamp a few milliseconds after the kill was recorded
            List<OrderStore.StoredOrder> inFlight = notFinalAt(mine, at.fault(), at.fault() + IN_FLIGHT_SLACK_MS);
            List<OrderStore.StoredOrder> affected = notFinalAt(mine, at.fault(), at.healthy() > 0 ? at.healthy() : Long.MAX_VALUE);
            Double afterKill = secondsUntilAllFinal(inFlight, at.fault());
            Double afterRestart = at.healthy() > 0 ? secondsUntilAllFinal(affected, at.healthy()) : null;
            List<String> notFinal = mine.stream().filter(o -> o.completedEpochMs() == null).map(OrderStore.StoredOrder::id).toList();
            Map<String, String> statuses = new HashMap<>();
            mine.forEach(o -> statuses.put(o.id(), o.status()));
            long faultEnd = at.healthy() > 0 ? at.healthy() : Long.MAX_VALUE;
            Double p99Back = RecoveryAnalysis.p99BackUnderSlo(samples, at.t0(), at.fault(), plan.sloP99Ms());
            progress.accept(String.format(Locale.ROOT, "%s: %s: %d in flight at the fault, all final %s s after it / %s s after the restart, "
                            + "p99 under SLO again %s s after it, %d not final at the deadline", label, flow, inFlight.size(),
                    fmt(afterKill), fmt(afterRestart), fmt(p99Back), notFinal.size()));
            return new Results.Chaos(fault.mode(), fault.target(), fault.crashPoint(), flows, rate, seconds, (at.fault() - at.t0()) / 1000.0,
                    restartBegan.get() > 0 ? (restartBegan.get() - at.t0()) / 1000.0 : null,
                    at.healthy() > 0 ? (at.healthy() - at.t0()) / 1000.0 : null,
                    inFlight.size(), afterKill, afterRestart, p99Back, notFinal.size(), notFinal.stream().limit(50).toList(),
                    plan.recoveryDeadlineSeconds(), RecoveryAnalysis.timeline(samples, at.t0()), runs.share(load, flow),
                    audit, error.get(), Availability.of(samples, statuses, at.fault(), faultEnd),
                    at.healthy() > 0 ? Availability.of(samples, statuses, at.healthy(), Long.MAX_VALUE) : null);
        }

        /** The fault never happened (the crash point was not reached, or the kill failed): the run's load only. */
        private Results.Chaos withoutFault(GatlingRunner.Run load, String flow, long t0) {
            List<OrderSample> samples = OrderSample.ofFlow(load.samples(), flow);
            return new Results.Chaos(fault.mode(), fault.target(), fault.crashPoint(), flows, rate, seconds, null, null, null, 0,
                    null, null, null, 0, List.of(), plan.recoveryDeadlineSeconds(), RecoveryAnalysis.timeline(samples, t0),
                    runs.share(load, flow), null, error.get() == null ? "the fault did not happen" : error.get(), null, null);
        }

        private Map<String, Results.Chaos> notRun(String why) {
            progress.accept(String.join(",", flows) + ": " + fault.mode() + " not run: " + why);
            return byFlow(flow -> Results.Chaos.notRun(fault.mode(), fault.target(), fault.crashPoint(), flows, why));
        }

        private Map<String, Results.Chaos> byFlow(Function<String, Results.Chaos> result) {
            Map<String, Results.Chaos> byFlow = new LinkedHashMap<>();
            for (String flow : flows) {
                byFlow.put(flow, result.apply(flow));
            }
            return byFlow;
        }
    }

    /**
     * {@code phase}, or with {@code -2}, {@code -3}... if an earlier run of this comparison over the same {@code flows}
     * used it (e.g. the shared chaos run and an infrastructure fault both killing order-service); recorded in
     * {@code used}. The run id is the flows and the phase, and the run's Idempotency-Keys start with it.
     */
    static String uniquePhase(Set<String> used, String flows, String phase) {
        String unique = phase;
        for (int n = 2; !used.add(flows + "/" + unique); n++) {
            unique = phase + "-" + n;
        }
        return unique;
    }

    /** The orders created before {@code createdBefore} that were not final yet at the fault. */
    private static List<OrderStore.StoredOrder> notFinalAt(List<OrderStore.StoredOrder> orders, long fault, long createdBefore) {
        return orders.stream()
                .filter(o -> o.createdEpochMs() < createdBefore && (o.completedEpochMs() == null || o.completedEpochMs() >= fault))
                .toList();
    }

    /** Seconds from {@code since} until the last of the orders was final (0 if none was later); null while any is not. */
    private static Double secondsUntilAllFinal(List<OrderStore.StoredOrder> orders, long since) {
        if (!orders.stream().allMatch(o -> o.completedEpochMs() != null)) {
            return null;
        }
        return Math.max(0, orders.stream().mapToLong(OrderStore.StoredOrder::completedEpochMs).max().orElse(since) - since) / 1000.0;
    }
}

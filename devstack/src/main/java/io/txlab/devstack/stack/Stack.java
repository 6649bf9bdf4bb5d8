package io.txlab.devstack.stack;

import io.txlab.devstack.ComponentKind;
import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.ComponentSpec;
import io.txlab.devstack.ManagedComponent;
import io.txlab.devstack.Topology;
import io.txlab.devstack.kafka.KafkaBroker;
import io.txlab.devstack.links.LinkControl;
import io.txlab.devstack.links.LinksComponent;
import io.txlab.devstack.links.LinksServerMain;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.devstack.process.ProcessControl;
import io.txlab.devstack.service.ServiceProcess;
import io.txlab.devstack.temporal.TemporalServer;
import io.txlab.devstack.zipkin.ZipkinServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The local stack in one run directory: brings components up in waves (PostgreSQL clusters in parallel, then
 * Kafka and Temporal, then the services), records them in {@code stack.json}, and stops, kills or restarts
 * them by PID in later invocations. Starting ({@link StackStart}), stopping ({@link StackStop}), probing
 * ({@link StackStatus}) and the shared secret ({@link StackSecret}) are classes of their own; this one is what the CLI
 * and the tests call.
 */
public final class Stack {

    private final Topology topology;
    private final Path runDir;
    private final Path repo;
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private Map<String, String> serviceEnvironment = Map.of();

    public Stack(Topology topology, Path runDir, Path repo, PrintStream out) {
        this.topology = topology;
        this.runDir = runDir.toAbsolutePath();
        this.repo = repo.toAbsolutePath();
        this.out = out;
    }

    /** Where a stack keeps its data, logs and pids unless told otherwise: {@code $TXLAB_RUN_DIR}, else {@code <repo>/.txlab/run}. */
    public static Path defaultRunDir(Path repo) {
        String env = System.getenv("TXLAB_RUN_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return repo.toAbsolutePath().resolve(".txlab").resolve("run");
    }

    public Topology topology() {
        return topology;
    }

    public Path runDir() {
        return runDir;
    }

    public Path stateFile() {
        return runDir.resolve("stack.json");
    }

    public Path lockFile() {
        return runDir.resolve("stack.lock");
    }

    Path repo() {
        return repo;
    }

    Map<String, String> serviceEnvironment() {
        return serviceEnvironment;
    }

    public ManagedComponent launcher(String name) {
        return launcher(name, Map.of());
    }

    /**
     * The launcher of one component; {@code extraEnvironment} is added to a service's environment (e.g. the
     * {@code chaos} profile and the crash points to arm) and ignored for infrastructure.
     */
    public ManagedComponent launcher(String name, Map<String, String> extraEnvironment) {
        ComponentSpec spec = topology.component(name);
        ComponentPaths paths = ComponentPaths.in(runDir, name);
        return switch (spec.kind()) {
            case POSTGRES -> new PostgresCluster(name, paths, spec.port(), spec.databases());
            case KAFKA -> new KafkaBroker(name, paths, spec.port(), topology.brokerLinks());
            case TEMPORAL -> new TemporalServer(name, paths, spec.port());
            case ZIPKIN -> new ZipkinServer(name, paths, spec.port(), ZipkinServer.locateJar(repo));
            case LINKS -> new LinksComponent(name, paths, spec.port(), topology.links());
            case SERVICE -> new ServiceProcess(name, paths, spec.port(), Topology.serviceJar(repo, name),
                    serviceEnvironment(name, extraEnvironment));
        };
    }

    /** The secret this stack's services sign their internal requests with ({@link StackSecret}). */
    public synchronized String internalSecret() {
        return StackSecret.readOrCreate(runDir);
    }

    /**
     * A service's environment in layers, each overriding the one before: the topology's (with the link ports while
     * the link proxy runs), the internal secret, tracing while Zipkin runs, what {@code up} recorded, then
     * {@code extra}.
     */
    private Map<String, String> serviceEnvironment(String name, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(topology.serviceEnvironment(name, linkPorts()));
        env.put("TXLAB_INTERNAL_SECRET", internalSecret());
        env.putAll(tracingEnvironment());
        env.putAll(recordedServiceEnvironment());
        env.putAll(extra);
        return env;
    }

    /**
     * The port of every link by name ({@code from>to}), while this stack's link proxy runs (it starts before the
     * services); empty otherwise, and the services connect directly.
     */
    private Map<String, Integer> linkPorts() {
        if (!running(Topology.LINKS)) {
            return Map.of();
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        LinksServerMain.PortsFile.read(LinksComponent.portsFile(ComponentPaths.in(runDir, Topology.LINKS)))
                .ifPresent(file -> file.links().forEach(l -> ports.put(l.from() + ">" + l.to(), l.port())));
        return ports;
    }

    /** The control API of this stack's link proxy; fails with what to do when the stack runs without it. */
    public LinkControl links() {
        if (!running(Topology.LINKS)) {
            throw new StackException("the link proxy is not running: faults on links need the stack started with "
                    + "./txlab up --links (or ./txlab restart links, then restart the services that should use it)");
        }
        return new LinkControl(topology.component(Topology.LINKS).port());
    }

    /** Tracing on in a service exactly when this stack's Zipkin runs (it starts before the services). */
    private Map<String, String> tracingEnvironment() {
        return running(Topology.ZIPKIN) ? topology.tracingEnvironment() : Map.of();
    }

    /** Whether the component's recorded process is alive. */
    private boolean running(String component) {
        return launcher(component).pid().stream().anyMatch(ProcessControl::isAlive);
    }

    /**
     * Adds variables to the environment of every service the next {@link #up} launches (e.g.
     * {@code TXLAB_LOG_FORMAT=json}); {@code up} records them in {@code stack.json}, so a later {@code restart} of a
     * service, from any invocation, starts it with them too.
     */
    public Stack withServiceEnvironment(Map<String, String> environment) {
        serviceEnvironment = Map.copyOf(environment);
        return this;
    }

    /** What {@code up} recorded, overridden by what this instance was given. */
    private Map<String, String> recordedServiceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>(state().map(StackState::serviceEnvironment).orElse(Map.of()));
        env.putAll(serviceEnvironment);
        return env;
    }

    /** Whether {@code ./txlab up} starts Zipkin unless told otherwise: yes, except with {@code TXLAB_ZIPKIN=off}. */
    public static boolean zipkinByDefault() {
        String setting = System.getenv("TXLAB_ZIPKIN");
        return setting == null || !List.of("off", "false", "0", "no").contains(setting.trim().toLowerCase(Locale.ROOT));
    }

    public Optional<StackState> state() {
        return StackState.read(stateFile());
    }

    /** Components recorded in stack.json whose process is still the one we started. */
    public List<String> aliveComponents() {
        return state().map(StackState::running).orElse(List.of());
    }

    void progress(String message) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "[%5.1fs] %s%n", seconds, message);
        out.flush();
    }

    /**
     * Starts the selection. On failure, or when the JVM is interrupted (Ctrl-C), everything this call started
     * is stopped again, so a failed {@code up} leaves nothing behind.
     */
    public void up(Collection<String> only, boolean skipServices) {
        up(only, skipServices, zipkinByDefault());
    }

    /** {@link #up(Collection, boolean)}; {@code zipkin=false} leaves Zipkin out (and so tracing off). */
    public void up(Collection<String> only, boolean skipServices, boolean zipkin) {
        up(only, skipServices, zipkin, false);
    }

    /**
     * {@link #up(Collection, boolean, boolean)}; {@code links=true} also starts the link proxy, and the services then
     * reach their databases, Temporal and each other through it ({@link #links()}).
     */
    public void up(Collection<String> only, boolean skipServices, boolean zipkin, boolean links) {
        List<String> selectors = new ArrayList<>(only == null ? List.of() : only);
        if (links && !selectors.isEmpty()) {
            selectors.add(Topology.LINKS);
        }
        List<ComponentSpec> selection = topology.select(selectors, skipServices).stream()
                .filter(c -> zipkin || c.kind() != ComponentKind.ZIPKIN)
                .filter(c -> links || c.kind() != ComponentKind.LINKS)
                .toList();
        new StackStart(this).start(selection);
    }

    synchronized void record(String name, long pid, int port) {
        StackState current = state().orElse(StackState.empty(topology.portOffset()));
        current.with(name, pid, port, ProcessControl.startInstantMs(pid), ProcessControl.startTicks(pid))
                .write(stateFile());
    }

    /**
     * Stops every component with a live PID in this run directory. A PID whose process start time no longer
     * matches stack.json belongs to someone else now and is left alone.
     */
    public void down() {
        new StackStop(this).down();
    }

    /**
     * Stops those of {@code names} that run, gracefully (SIGTERM, then SIGKILL after the grace period), in reverse start
     * order with each wave in parallel, as {@link #down} does; the rest of the stack keeps running and
     * {@link #restart} starts them again.
     */
    public void stop(List<String> names) {
        for (String name : names) {
            topology.component(name);
        }
        new StackStop(this).stopAll(names, "stopping");
    }

    /** Probes every recorded component in parallel (the Kafka and Temporal probes each take about a second). */
    public List<StatusRow> status() {
        return StackStatus.probe(this);
    }

    /** One line of {@code status}. */
    public record StatusRow(String component, long pid, int port, boolean alive, boolean healthy, long rssKb) {
    }

    /** SIGKILL by PID; returns the epoch millisecond just before the signal was sent. */
    public long kill(String name) {
        ManagedComponent c = launcher(name);
        OptionalLong pid = c.pid();
        if (pid.isEmpty() || !ProcessControl.isAlive(pid.getAsLong())) {
            throw new StackException(name + " is not running");
        }
        long at = System.currentTimeMillis();
        c.kill();
        return at;
    }

    /** Stops the component if it runs, starts it again and returns the time until it answered healthy. */
    public Duration restart(String name) {
        return restart(name, Map.of());
    }

    /** {@link #restart(String)} with variables added to a service's environment for this run of it only. */
    public Duration restart(String name, Map<String, String> extraEnvironment) {
        ManagedComponent c = launcher(name, extraEnvironment);
        ComponentSpec spec = topology.component(name);
        if (spec.kind() == ComponentKind.SERVICE && !Files.isRegularFile(Topology.serviceJar(repo, name))) {
            throw new StackException(name + ": " + Topology.serviceJar(repo, name)
                    + " is missing — run ./mvnw -DskipTests package first");
        }
        if (c.pid().stream().anyMatch(ProcessControl::isAlive)) {
            c.stop();
        }
        long start = System.nanoTime();
        c.start();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        long pid = c.pid().orElse(-1);
        if (state().isEmpty()) {
            StackState.empty(topology.portOffset()).write(stateFile());
        }
        record(name, pid, spec.port());
        return took;
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover pid or state file is harmless: liveness is always checked against the process
        }
    }

    /** A failure meant for the user: the CLI prints the message without a stack trace. */
    public static final class StackException extends RuntimeException {
        public StackException(String message) {
            super(message);
        }
    }
}

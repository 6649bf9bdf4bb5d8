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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * The local stack in one run directory: brings components up in waves (PostgreSQL clusters in parallel, then
 * Kafka and Temporal, then the services), records them in {@code stack.json}, and stops, kills or restarts
 * them by PID in later invocations.
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
            case KAFKA -> new KafkaBroker(name, paths, spec.port());
            case TEMPORAL -> new TemporalServer(name, paths, spec.port());
            case ZIPKIN -> new ZipkinServer(name, paths, spec.port(), ZipkinServer.locateJar(repo));
            case LINKS -> new LinksComponent(name, paths, spec.port(), topology.links());
            case SERVICE -> new ServiceProcess(name, paths, spec.port(), Topology.serviceJar(repo, name),
                    withExtra(withExtra(withExtra(withExtra(topology.serviceEnvironment(name, linkPorts()),
                                    Map.of("TXLAB_INTERNAL_SECRET", internalSecret())), tracingEnvironment()),
                            recordedServiceEnvironment()), extraEnvironment));
        };
    }

    /**
     * The secret this stack's services sign their internal requests with (2PC protocol calls): 32 random bytes,
     * generated on first use into {@code internal-secret} in the run directory (owner-only) and kept there, so a
     * restarted service gets the same one.
     */
    public synchronized String internalSecret() {
        Path file = runDir.resolve("internal-secret");
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).trim();
            }
            Files.createDirectories(runDir);
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String secret = HexFormat.of().formatHex(bytes);
            Path tmp = runDir.resolve("internal-secret.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, secret);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return secret;
        } catch (IOException e) {
            throw new StackException("cannot read or create " + file + ": " + e.getMessage());
        }
    }

    /**
     * The port of every link by name ({@code from>to}), while this stack's link proxy runs (it starts before the
     * services); empty otherwise, and the services connect directly.
     */
    private Map<String, Integer> linkPorts() {
        if (!running(Topology.LINKS)) {
            return Map.of();
        }
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
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
        Map<String, String> env = new java.util.LinkedHashMap<>(state().map(StackState::serviceEnvironment).orElse(Map.of()));
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
        List<String> alive = new ArrayList<>();
        state().ifPresent(s -> s.components().forEach((name, e) -> {
            if (ProcessControl.isSameProcess(e.pid(), e.processStartMs())) {
                alive.add(name);
            }
        }));
        return alive;
    }

    private void progress(String message) {
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
        List<String> missingJars = selection.stream()
                .filter(c -> c.kind() == ComponentKind.SERVICE)
                .map(c -> Topology.serviceJar(repo, c.name()))
                .filter(jar -> !Files.isRegularFile(jar))
                .map(Path::toString)
                .toList();
        if (!missingJars.isEmpty()) {
            throw new StackException("service jars missing — run ./mvnw -DskipTests package first (./txlab does "
                    + "that), or use --skip-services:\n  " + String.join("\n  ", missingJars));
        }
        Set<String> started = Collections.synchronizedSet(new LinkedHashSet<>());
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "devstack-start");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicBoolean aborting = new java.util.concurrent.atomic.AtomicBoolean();
        Thread cleanup = new Thread(() -> {
            aborting.set(true);
            // interrupt the starts in flight (readiness waits and storage formatting give up on interrupt) and
            // wait for them, so that nothing is launched after the snapshot below
            pool.shutdownNow();
            try {
                pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopAll(new ArrayList<>(started), "interrupted: stopping");
            deleteQuietly(stateFile());
        }, "devstack-abort");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean ok = false;
        StackState.empty(topology.portOffset()).withServiceEnvironment(serviceEnvironment).write(stateFile());
        try {
            for (List<ComponentSpec> wave : Topology.waves(selection)) {
                List<Future<?>> futures = new ArrayList<>();
                List<String> errors = Collections.synchronizedList(new ArrayList<>());
                for (ComponentSpec spec : wave) {
                    futures.add(pool.submit(() -> {
                        ManagedComponent component = launcher(spec.name());
                        started.add(spec.name());
                        try {
                            component.start();
                        } catch (RuntimeException e) {
                            if (!aborting.get()) {
                                errors.add(e.getMessage());
                                progress(spec.name() + " FAILED");
                            }
                            return;
                        }
                        long pid = component.pid().orElse(-1);
                        record(spec.name(), pid, spec.port());
                        progress(String.format(Locale.ROOT, "%s ready (pid %d, port %d)", spec.name(), pid, spec.port()));
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                if (aborting.get()) {
                    throw new StackException("interrupted");
                }
                if (!errors.isEmpty()) {
                    throw new StackException(String.join("\n", errors));
                }
            }
            ok = true;
            progress("stack up: " + selection.size() + " components; run dir " + runDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        } catch (ExecutionException e) {
            throw new StackException(e.getCause().toString());
        } finally {
            pool.shutdownNow();
            if (!ok && !aborting.get()) {
                stopAll(new ArrayList<>(started), "up failed: stopping what was started");
                deleteQuietly(stateFile());
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already and does the cleanup
            }
        }
    }

    private synchronized void record(String name, long pid, int port) {
        StackState current = state().orElse(StackState.empty(topology.portOffset()));
        current.with(name, pid, port, ProcessControl.startInstantMs(pid)).write(stateFile());
    }

    private void stopAll(List<String> names, String reason) {
        List<String> alive = names.stream()
                .filter(n -> launcher(n).pid().stream().anyMatch(ProcessControl::isAlive))
                .toList();
        if (alive.isEmpty()) {
            return;
        }
        progress(reason + " " + String.join(", ", alive));
        stopInWaves(alive);
    }

    /** Stops in reverse start order (services, then Kafka and Temporal, then PostgreSQL), each wave in parallel. */
    private void stopInWaves(List<String> names) {
        List<ComponentSpec> specs = topology.components().stream().filter(c -> names.contains(c.name())).toList();
        List<List<ComponentSpec>> waves = new ArrayList<>(Topology.waves(specs));
        Collections.reverse(waves);
        for (List<ComponentSpec> wave : waves) {
            List<Thread> threads = new ArrayList<>();
            for (ComponentSpec spec : wave) {
                Thread t = new Thread(() -> {
                    ManagedComponent c = launcher(spec.name());
                    OptionalLong pid = c.pid();
                    try {
                        c.stop();
                        progress(spec.name() + " stopped" + pid.stream().mapToObj(p -> " (pid " + p + ")").findFirst().orElse(""));
                    } catch (RuntimeException e) {
                        progress(spec.name() + " stop failed: " + e.getMessage());
                    }
                    deleteQuietly(ComponentPaths.in(runDir, spec.name()).pidFile());
                }, "devstack-stop-" + spec.name());
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Stops every component with a live PID in this run directory. A PID whose process start time no longer
     * matches stack.json belongs to someone else now and is left alone.
     */
    public void down() {
        Map<String, StackState.Entry> recorded = state().map(StackState::components).orElse(Map.of());
        List<String> toStop = new ArrayList<>();
        for (ComponentSpec spec : topology.components()) {
            OptionalLong pid = launcher(spec.name()).pid();
            if (pid.isEmpty()) {
                continue;
            }
            StackState.Entry entry = recorded.get(spec.name());
            long expectedStart = entry != null && entry.pid() == pid.getAsLong() ? entry.processStartMs() : 0;
            if (ProcessControl.isSameProcess(pid.getAsLong(), expectedStart)) {
                toStop.add(spec.name());
            } else {
                deleteQuietly(ComponentPaths.in(runDir, spec.name()).pidFile());
            }
        }
        if (toStop.isEmpty()) {
            progress("nothing running in " + runDir);
        } else {
            stopInWaves(toStop);
        }
        deleteQuietly(stateFile());
    }

    /** One line of {@code status}. */
    public record StatusRow(String component, long pid, int port, boolean alive, boolean healthy, long rssKb) {
    }

    /** Probes every recorded component in parallel (the Kafka and Temporal probes each take about a second). */
    public List<StatusRow> status() {
        StackState s = state().orElseThrow(() -> new StackException("stack is not running (no " + stateFile() + ")"));
        List<ComponentSpec> recorded = topology.components().stream()
                .filter(spec -> s.components().containsKey(spec.name())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, recorded.size()));
        try {
            List<Future<StatusRow>> futures = new ArrayList<>();
            for (ComponentSpec spec : recorded) {
                futures.add(pool.submit(() -> {
                    ManagedComponent c = launcher(spec.name());
                    long pid = c.pid().orElse(s.components().get(spec.name()).pid());
                    boolean alive = ProcessControl.isAlive(pid);
                    boolean healthy = alive && c.isReady();
                    long rss = alive ? ProcessControl.rssKb(pid).orElse(-1) : -1;
                    return new StatusRow(spec.name(), pid, spec.port(), alive, healthy, rss);
                }));
            }
            List<StatusRow> rows = new ArrayList<>();
            for (Future<StatusRow> f : futures) {
                rows.add(f.get());
            }
            return rows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted");
        } catch (ExecutionException e) {
            throw new StackException("status probe failed: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
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

    private static Map<String, String> withExtra(Map<String, String> base, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return base;
        }
        Map<String, String> merged = new java.util.LinkedHashMap<>(base);
        merged.putAll(extra);
        return merged;
    }

    private static void deleteQuietly(Path file) {
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

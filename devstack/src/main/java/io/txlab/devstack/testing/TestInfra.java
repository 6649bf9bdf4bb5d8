package io.txlab.devstack.testing;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.ManagedComponent;
import io.txlab.devstack.kafka.KafkaBroker;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.devstack.process.ProcessControl;
import io.txlab.devstack.temporal.TemporalServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Real infrastructure for integration tests, started lazily once per test JVM on random free ports (never the
 * devstack's ports, so tests run beside a dev stack) and stopped by a JVM shutdown hook.
 * <pre>{@code
 * Database db = TestInfra.postgres().freshDatabase("orders");
 * String bootstrap = TestInfra.kafka().bootstrapServers();
 * String target = TestInfra.temporal().target();
 * }</pre>
 * {@code -Dtxlab.infra=testcontainers} runs PostgreSQL and Kafka in Docker instead (Temporal always embedded).
 */
public final class TestInfra {

    /** System property selecting the infrastructure: {@code embedded} (default) or {@code testcontainers}. */
    public static final String MODE_PROPERTY = "txlab.infra";
    /** The {@code txlab.internal.secret} of services under test, so tests can sign their internal requests. */
    public static final String INTERNAL_SECRET = "txlab-tests-internal-secret";

    private static Path runDir;
    private static PostgresCluster postgres;
    private static KafkaBroker kafka;
    private static TemporalServer temporal;
    private static final List<ManagedComponent> STARTED = new ArrayList<>();
    private static boolean hookInstalled;

    private TestInfra() {
    }

    public static synchronized PostgresCluster postgres() {
        if (postgres == null) {
            PostgresCluster cluster = containers()
                    ? ContainerInfra.postgres()
                    : new PostgresCluster("test-postgres", paths("test-postgres"), freePort(false), List.of());
            start(cluster);
            postgres = cluster;
        }
        return postgres;
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            KafkaBroker broker = containers()
                    ? ContainerInfra.kafka()
                    : new KafkaBroker("test-kafka", paths("test-kafka"), freePort(true));
            start(broker);
            kafka = broker;
        }
        return kafka;
    }

    public static synchronized TemporalServer temporal() {
        if (temporal == null) {
            TemporalServer server = new TemporalServer("test-temporal", paths("test-temporal"), freePort(false));
            start(server);
            temporal = server;
        }
        return temporal;
    }

    /** The folder holding this JVM's test infrastructure (data, logs, pid files). */
    public static synchronized Path runDir() {
        if (runDir == null) {
            runDir = createRunDir();
        }
        return runDir;
    }

    static boolean containers() {
        String mode = System.getProperty(MODE_PROPERTY, "embedded").trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "embedded", "" -> false;
            case "testcontainers" -> true;
            default -> throw new IllegalArgumentException("-D" + MODE_PROPERTY + " must be embedded or testcontainers: " + mode);
        };
    }

    private static void start(ManagedComponent component) {
        installHook();
        STARTED.add(component);
        component.start();
    }

    private static ComponentPaths paths(String component) {
        return ComponentPaths.in(runDir(), component);
    }

    private static synchronized void installHook() {
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(TestInfra::shutdown, "txlab-test-infra-stop"));
            hookInstalled = true;
        }
    }

    private static void shutdown() {
        List<Thread> stoppers = new ArrayList<>();
        List<ManagedComponent> components;
        synchronized (TestInfra.class) {
            components = new ArrayList<>(STARTED);
        }
        for (ManagedComponent c : components) {
            Thread t = new Thread(() -> {
                try {
                    c.stop();
                } catch (RuntimeException e) {
                    System.err.println("txlab test infra: stopping " + c.name() + " failed: " + e.getMessage());
                }
            });
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(40_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Path dir = runDir;
        if (dir != null && !Boolean.getBoolean("txlab.infra.keep")) {
            deleteTree(dir);
        }
    }

    /**
     * Under the module's target/ folder (build working directory), else a temp folder. Infrastructure left
     * behind by a test JVM that was killed (no shutdown hook ran) is stopped here first.
     */
    private static Path createRunDir() {
        Path base = Files.isDirectory(Path.of("target")) ? Path.of("target", "txlab-test-infra").toAbsolutePath()
                : Path.of(System.getProperty("java.io.tmpdir"), "txlab-test-infra");
        try {
            Files.createDirectories(base);
            reapOrphans(base);
            long pid = ProcessHandle.current().pid();
            Path dir = Files.createDirectories(base.resolve("jvm-" + pid + "-" + System.currentTimeMillis()));
            // PostgreSQL may run as another user (setpriv when root): it must be able to traverse the folder
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve("owner.pid"), pid + "\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the test infrastructure folder under " + base, e);
        }
    }

    private static void reapOrphans(Path base) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, "jvm-*")) {
            for (Path dir : dirs) {
                OptionalLong owner = ProcessControl.readPidFile(dir.resolve("owner.pid"));
                if (owner.isPresent() && ProcessControl.isAlive(owner.getAsLong())) {
                    continue;
                }
                try (DirectoryStream<Path> pidFiles = Files.newDirectoryStream(dir, "*.pid")) {
                    for (Path pidFile : pidFiles) {
                        OptionalLong pid = ProcessControl.readPidFile(pidFile);
                        // only a process whose command line names this folder is ours (guards against PID reuse)
                        if (pid.isPresent() && !pidFile.getFileName().toString().equals("owner.pid")
                                && commandMentions(pid.getAsLong(), dir)) {
                            ProcessControl.killTree(pid.getAsLong());
                        }
                    }
                }
                deleteTree(dir);
            }
        }
    }

    private static boolean commandMentions(long pid, Path dir) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
            return cmdline.contains(dir.toString());
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
                    .map(c -> c.contains(dir.toString())).orElse(false);
        }
    }

    /** A loopback port that is free right now. */
    public static int freePort() {
        return freePort(false);
    }

    /** A free loopback port; for Kafka also the next one (its controller listener). */
    static int freePort(boolean withNext) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
            if (!withNext) {
                return port;
            }
            if (port < 65535) {
                try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
        throw new IllegalStateException("no two adjacent free ports found");
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file still held open by a dying process: the next run's reaper removes the folder
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort, see above
        }
    }
}

package io.txlab.devstack.zipkin;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.process.JavaCommand;
import io.txlab.devstack.process.JvmComponent;
import io.txlab.devstack.process.JvmOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Zipkin ({@code io.zipkin:zipkin-server}, the {@code exec} jar from Maven Central) in its own JVM on
 * 127.0.0.1:port with in-memory storage: the services export their spans to {@code /api/v2/spans}, the UI and the
 * API ({@code /api/v2/trace/{id}}) read them back. Everything is lost when it stops; the oldest traces are dropped
 * beyond {@value #MAX_SPANS} spans so the heap stays bounded under load.
 *
 * <p>The jar is copied by the devstack build to {@code devstack/target/zipkin/zipkin-server-exec.jar};
 * {@code TXLAB_ZIPKIN_JAR} (or {@code -Dtxlab.zipkin.jar}) points elsewhere, and the local Maven repository is the
 * fallback.
 */
public class ZipkinServer extends JvmComponent {

    /** Must match {@code zipkin-server.version} in devstack's pom (the jar the build copies). */
    public static final String VERSION = "3.5.1";
    /**
     * 100,000 spans ran the 256 MiB heap out of memory in a {@code ./txlab compare --full} (a traced order of the
     * cockroach or twopc flow has ~200 spans with its JDBC spans); 40,000 keeps the last few hundred orders' traces.
     */
    static final int MAX_SPANS = 40_000;

    private final Path jar;

    public ZipkinServer(String name, ComponentPaths paths, int port, Path jar) {
        super(name, paths, port);
        this.jar = jar;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The exec jar: the override, the copy the devstack build made, or the one in the local Maven repository. */
    public static Path locateJar(Path repo) {
        String override = System.getProperty("txlab.zipkin.jar", System.getenv("TXLAB_ZIPKIN_JAR"));
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        Path built = repo.resolve("devstack").resolve("target").resolve("zipkin").resolve("zipkin-server-exec.jar");
        if (Files.isRegularFile(built)) {
            return built;
        }
        String local = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        return Path.of(local, "io", "zipkin", "zipkin-server", VERSION, "zipkin-server-" + VERSION + "-exec.jar");
    }

    @Override
    protected void prepare() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name() + ": " + jar + " is missing — build the devstack"
                    + " (./mvnw -pl devstack package) or skip Zipkin with --no-zipkin");
        }
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(JavaCommand.javaExecutable());
        command.addAll(JvmOptions.zipkin(name(), paths().dir()));
        // Zipkin's own Spring Boot configuration: one HTTP port, loopback only (the list is replaced whole).
        command.addAll(List.of("-Darmeria.ports[0].port=" + port(), "-Darmeria.ports[0].ip=127.0.0.1",
                "-Darmeria.ports[0].protocols[0]=http", "-jar", jar.toAbsolutePath().toString()));
        return command;
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("STORAGE_TYPE", "mem", "MEM_MAX_SPANS", Integer.toString(MAX_SPANS),
                "QUERY_PORT", Integer.toString(port()), "COLLECTOR_SCRIBE_ENABLED", "false");
    }

    @Override
    protected Duration readyTimeout() {
        return Duration.ofSeconds(90);
    }

    @Override
    protected Duration stopGrace() {
        return Duration.ofSeconds(10);
    }

    @Override
    public boolean isReady() {
        return httpUp(baseUrl() + "/health", Duration.ofSeconds(2));
    }
}

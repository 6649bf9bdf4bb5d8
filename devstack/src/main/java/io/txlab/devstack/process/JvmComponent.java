package io.txlab.devstack.process;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.ManagedComponent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** A component that is one child JVM: launched detached, stopped with SIGTERM (JVM shutdown hooks run). */
public abstract class JvmComponent implements ManagedComponent {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final ComponentPaths paths;
    private final int port;

    protected JvmComponent(String name, ComponentPaths paths, int port) {
        this.name = name;
        this.paths = paths;
        this.port = port;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    protected ComponentPaths paths() {
        return paths;
    }

    @Override
    public Path logFile() {
        return paths.logFile();
    }

    @Override
    public OptionalLong pid() {
        return ProcessControl.readPidFile(paths.pidFile());
    }

    /** Work before the launch (format storage, write config); runs in the caller. */
    protected void prepare() {
    }

    protected abstract List<String> command();

    protected Map<String, String> environment() {
        return Map.of();
    }

    protected abstract Duration readyTimeout();

    protected Duration stopGrace() {
        return Duration.ofSeconds(20);
    }

    @Override
    public synchronized void start() {
        OptionalLong running = pid();
        if (running.isPresent() && ProcessControl.isAlive(running.getAsLong())) {
            awaitReady(null);
            return;
        }
        try {
            Files.createDirectories(paths.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + paths.dir(), e);
        }
        prepare();
        Process process = ProcessLauncher.launch(command(), environment(), paths.dir(), logFile(), paths.pidFile());
        awaitReady(process);
    }

    private void awaitReady(Process process) {
        boolean ready = Poll.until(readyTimeout(), Duration.ofMillis(100), () -> {
            if (process != null && !process.isAlive()) {
                return true;
            }
            return isReady();
        });
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException(name + ": process exited with code " + process.exitValue()
                    + " during start; " + LogFiles.startFailure(logFile(), 20));
        }
        if (!ready) {
            throw new IllegalStateException(name + ": not ready within " + readyTimeout().toSeconds()
                    + " s; " + LogFiles.startFailure(logFile(), 20));
        }
    }

    /**
     * Whether {@code GET url} answers 200 with a body that says {@code "UP"} within {@code timeout}: a Spring Boot
     * health group, or Zipkin's {@code /health} (which answers 503 while it is not up). Unreachable counts as not up.
     */
    public static boolean httpUp(String url, Duration timeout) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void stop() {
        OptionalLong pid = pid();
        if (pid.isPresent()) {
            ProcessControl.stopGracefully(pid.getAsLong(), "TERM", stopGrace());
        }
    }

    @Override
    public synchronized void kill() {
        OptionalLong pid = pid();
        if (pid.isPresent()) {
            ProcessControl.killTree(pid.getAsLong());
        }
    }
}

package io.txlab.loadtests.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code ./txlab} command the comparison runs as a process of its own (the 2PC tax, the mechanism floors), so its
 * JVM is started, compiled and counted like the command run by hand and not like the load generator.
 */
final class ToolProcess {

    /** Reads what such a command writes: fields the results do not carry are skipped. */
    static final JsonMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private ToolProcess() {
    }

    /**
     * Starts {@code command} in {@code repo} without a rebuild (the comparison runs from the jar it was just built into:
     * the wrapper must not rebuild it under our feet), copies its output to {@code log} and hands each line to
     * {@code line}, and returns its exit code. It is destroyed (SIGTERM, so its own shutdown hooks run) after the
     * timeout, when this JVM exits (Ctrl-C) or when this thread is interrupted.
     */
    static int run(Path repo, List<String> command, Path log, long timeoutMinutes, Consumer<String> line)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("TXLAB_SKIP_BUILD", "1");
        Process p = pb.start();
        String name = command.size() > 1 ? command.get(1) : "tool";
        Thread stopWithUs = new Thread(p::destroy, name + "-stop");
        Runtime.getRuntime().addShutdownHook(stopWithUs);
        Thread timeout = new Thread(() -> {
            try {
                if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    p.destroy();
                }
            } catch (InterruptedException e) {
                // it ended: nothing left to watch
            }
        }, name + "-timeout");
        timeout.setDaemon(true);
        timeout.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String text;
            while ((text = r.readLine()) != null) {
                w.println(text);
                line.accept(text);
            }
            return p.waitFor();
        } finally {
            timeout.interrupt();
            if (p.isAlive()) {
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopWithUs);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting and the hook runs anyway
            }
        }
    }
}

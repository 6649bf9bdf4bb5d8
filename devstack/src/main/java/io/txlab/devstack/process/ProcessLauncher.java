package io.txlab.devstack.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a component's process detached from the caller: own session (so a Ctrl-C in the terminal that ran
 * {@code ./txlab up} does not reach it after the CLI has exited), stdin from /dev/null, stdout and stderr
 * appended to the component's log file, PID written to its pid file right after the spawn.
 */
public final class ProcessLauncher {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private ProcessLauncher() {
    }

    public static Process launch(List<String> command, Map<String, String> env, Path workDir, Path logFile, Path pidFile) {
        List<String> full = new ArrayList<>();
        // setsid only forks when the caller leads a process group, which a JVM child never does, so the PID we
        // get back is the PID of the final program (setsid and setpriv both exec).
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "==== " + Instant.now() + " starting: " + String.join(" ", command)
                    + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(full)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            pb.environment().putAll(env);
            Process process = pb.start();
            if (pidFile != null) {
                ProcessControl.writePidFile(pidFile, process.pid());
            }
            return process;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a short command to completion (initdb, kafka storage format), output appended to the log file. */
    public static void runToCompletion(List<String> command, Map<String, String> env, Path workDir, Path logFile,
                                       java.time.Duration timeout) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "==== " + Instant.now() + " running: " + String.join(" ", command)
                    + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectErrorStream(true);
            pb.environment().putAll(env);
            Process process = pb.start();
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish within " + timeout + ", see " + logFile);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                        + process.exitValue() + ", see " + logFile);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }
}

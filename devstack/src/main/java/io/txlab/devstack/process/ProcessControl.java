package io.txlab.devstack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Signals, liveness and memory of processes addressed by PID. Everything the devstack stops or kills it
 * addresses by the PID it recorded, never by name, so it cannot hit another developer's processes.
 */
public final class ProcessControl {

    private ProcessControl() {
    }

    public static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !isZombie(pid);
    }

    /**
     * Alive and still the process we started: a PID recorded in an earlier run may have been reused by an
     * unrelated process. Where both sides know it, the kernel's start time in clock ticks since boot must match
     * exactly ({@link #startTicks}); otherwise the start instant must match within the clock granularity of /proc.
     */
    public static boolean isSameProcess(long pid, long startedAtTicks, long startedAtEpochMs) {
        if (!isAlive(pid)) {
            return false;
        }
        if (startedAtTicks > 0) {
            long ticks = startTicks(pid);
            if (ticks > 0) {
                return ticks == startedAtTicks;
            }
        }
        if (startedAtEpochMs <= 0) {
            return true;
        }
        Optional<Instant> start = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
        return start.map(s -> Math.abs(s.toEpochMilli() - startedAtEpochMs) < 2_000).orElse(true);
    }

    /**
     * The process's start instant as this JVM sees it. On Linux the JDK adds the process's start (ticks since boot)
     * to the boot time it read from /proc/stat when it started, in whole seconds. The kernel derives that boot time
     * from the wall clock, so it moves whenever the clock is slewed or stepped: two JVMs started an hour apart can
     * disagree about one process's start instant by seconds. Kept for the record and for systems without /proc;
     * {@link #isSameProcess} compares {@link #startTicks} where it can.
     */
    public static long startInstantMs(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * When the kernel started the process, in clock ticks since boot (field 22 of {@code /proc/<pid>/stat}), or 0
     * where there is no /proc or the process is gone. It never changes for the life of a process and does not
     * depend on the wall clock, so any process can compare it exactly, at any later time.
     */
    public static long startTicks(long pid) {
        return statFields(pid).map(fields -> {
            try {
                return Long.parseLong(fields[22 - 3]);
            } catch (RuntimeException e) {
                return 0L;
            }
        }).orElse(0L);
    }

    /** A killed child of a still-running parent stays a zombie until reaped; it no longer counts as alive. */
    private static boolean isZombie(long pid) {
        return statFields(pid).map(fields -> "Z".equals(fields[0])).orElse(false);
    }

    /**
     * The fields of {@code /proc/<pid>/stat} after the command name, which may hold spaces and parentheses: index 0
     * is field 3 (the state), index 19 field 22 (starttime). Empty where there is no /proc or the process is gone.
     */
    private static Optional<String[]> statFields(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int close = s.lastIndexOf(')');
            return close > 0 && s.length() > close + 2
                    ? Optional.of(s.substring(close + 2).split(" "))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Sends a signal by name (INT, TERM, KILL) with the system's kill command; Java can only send TERM and KILL. */
    public static void signal(long pid, String signal) {
        if (pid <= 0) {
            return;
        }
        try {
            Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not run kill -s " + signal + " " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static boolean waitForExit(long pid, Duration timeout) {
        return Poll.until(timeout, Duration.ofMillis(20), () -> !isAlive(pid));
    }

    /** All live descendants, children first (a snapshot: a process forking right now may be missed). */
    public static List<Long> descendants(long pid) {
        List<Long> result = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> result.add(d.pid())));
        return result;
    }

    /**
     * SIGKILL the process and everything it forked, the way a container runtime kills a pod: a PostgreSQL
     * postmaster killed alone leaves backends attached to shared memory, which would block the restart.
     */
    public static void killTree(long pid) {
        List<Long> children = descendants(pid);
        signal(pid, "KILL");
        for (long child : children) {
            signal(child, "KILL");
        }
        waitForExit(pid, Duration.ofSeconds(10));
        for (long child : children) {
            waitForExit(child, Duration.ofSeconds(10));
        }
    }

    /** Sends the graceful signal, waits, then SIGKILLs the tree if the process is still there. */
    public static void stopGracefully(long pid, String signal, Duration grace) {
        if (!isAlive(pid)) {
            return;
        }
        List<Long> children = descendants(pid);
        signal(pid, signal);
        if (!waitForExit(pid, grace)) {
            killTree(pid);
            return;
        }
        for (long child : children) {
            if (!waitForExit(child, Duration.ofSeconds(5))) {
                signal(child, "KILL");
            }
        }
    }

    /** Resident set size in KiB from /proc/&lt;pid&gt;/status (Linux), summed over the process and its descendants. */
    public static OptionalLong rssKb(long pid) {
        if (!isAlive(pid)) {
            return OptionalLong.empty();
        }
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        pids.addAll(descendants(pid));
        long total = 0;
        boolean any = false;
        for (long p : pids) {
            OptionalLong one = ownRssKb(p);
            if (one.isPresent()) {
                total += one.getAsLong();
                any = true;
            }
        }
        return any ? OptionalLong.of(total) : OptionalLong.empty();
    }

    private static OptionalLong ownRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    public static OptionalLong readPidFile(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return OptionalLong.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return first.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(first));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    public static void writePidFile(Path pidFile, long pid) {
        try {
            Files.createDirectories(pidFile.getParent());
            Files.writeString(pidFile, pid + System.lineSeparator());
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + pidFile, e);
        }
    }
}

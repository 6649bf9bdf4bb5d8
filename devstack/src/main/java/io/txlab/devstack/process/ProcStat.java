package io.txlab.devstack.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of processes and of the machine, read from Linux's {@code /proc}: what the comparison divides by the
 * orders a run finished. One {@link #snapshot()} reads every process once, so the trees of several components are
 * measured at the same instant.
 *
 * <p>A component's CPU is its whole process tree: the PostgreSQL postmaster with every backend, a JVM with anything
 * it forked. Per process it is {@code utime + stime} (all its threads, living or exited) plus
 * {@code cutime + cstime} (children it has reaped, e.g. a backend that ended with its connection), so a backend
 * that exits between two snapshots is not lost: its time moves from its own entry to its parent's. Values are in
 * clock ticks ({@code USER_HZ}, 100 per second on Linux): one process's figure is exact to one tick, which is why
 * measurement windows hold hundreds of orders.
 */
public final class ProcStat {

    /** Linux's USER_HZ, the unit of /proc/[pid]/stat times; 100 on every mainstream architecture. */
    public static final long TICKS_PER_SECOND = 100;

    private static final Path PROC = Path.of("/proc");

    /** One process: parent, its own CPU ticks and those of its reaped children. */
    public record Proc(long pid, long ppid, long ownTicks, long reapedChildTicks) {
    }

    /**
     * CPU of the whole machine since boot, in ticks summed over all cores ({@code /proc/stat}, line {@code cpu}), and
     * the time every runnable task was stalled on I/O ({@code /proc/pressure/io}, line {@code full}, microseconds;
     * -1 where the kernel has no pressure stall information).
     */
    public record MachineTicks(long total, long idle, long ioFullStallMicros) {

        /** Share of the machine's CPU that was busy between {@code earlier} and this, 0..100. */
        public double busyPercentSince(MachineTicks earlier) {
            long dt = total - earlier.total;
            return dt <= 0 ? Double.NaN : 100.0 * (dt - (idle - earlier.idle)) / dt;
        }

        /**
         * Share of the {@code seconds} between {@code earlier} and this in which all non-idle tasks waited for I/O
         * (a disk stall: CPU busy does not show it), 0..100; NaN without pressure stall information.
         */
        public double ioStallPercentSince(MachineTicks earlier, double seconds) {
            if (ioFullStallMicros < 0 || earlier.ioFullStallMicros < 0 || seconds <= 0) {
                return Double.NaN;
            }
            return Math.min(100.0, 100.0 * (ioFullStallMicros - earlier.ioFullStallMicros) / 1e6 / seconds);
        }
    }

    /** Every process at one instant, indexed for tree walks. */
    public static final class Snapshot {
        private final Map<Long, Proc> byPid;
        private final Map<Long, List<Long>> children;
        private final MachineTicks machine;
        private final long nanoTime;

        Snapshot(Map<Long, Proc> byPid, MachineTicks machine, long nanoTime) {
            this.byPid = byPid;
            this.machine = machine;
            this.nanoTime = nanoTime;
            this.children = new HashMap<>();
            for (Proc p : byPid.values()) {
                children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p.pid());
            }
        }

        /** Whether the process was there when the snapshot was taken. */
        public boolean has(long pid) {
            return byPid.containsKey(pid);
        }

        /** CPU ticks of {@code root} and all its living descendants (with what each reaped); 0 when not running. */
        public long treeTicks(long root) {
            if (!byPid.containsKey(root)) {
                return 0;
            }
            long sum = 0;
            Deque<Long> todo = new ArrayDeque<>();
            todo.push(root);
            while (!todo.isEmpty()) {
                long pid = todo.pop();
                Proc p = byPid.get(pid);
                if (p != null) {
                    sum += p.ownTicks() + p.reapedChildTicks();
                }
                children.getOrDefault(pid, List.of()).forEach(todo::push);
            }
            return sum;
        }

        /** CPU ticks of this one process only (its threads, not its children). */
        public long ownTicks(long pid) {
            Proc p = byPid.get(pid);
            return p == null ? 0 : p.ownTicks();
        }

        public boolean running(long pid) {
            return byPid.containsKey(pid);
        }

        public MachineTicks machine() {
            return machine;
        }

        public long nanoTime() {
            return nanoTime;
        }
    }

    private ProcStat() {
    }

    public static Snapshot snapshot() {
        Map<Long, Proc> procs = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                    Proc p = read(dir.resolve("stat"));
                    if (p != null) {
                        procs.put(p.pid(), p);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return new Snapshot(procs, machine(), System.nanoTime());
    }

    public static MachineTicks machine() {
        try {
            String first = Files.readAllLines(PROC.resolve("stat"), StandardCharsets.US_ASCII).get(0);
            String[] f = first.trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is already inside user)
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new MachineTicks(total, idle, ioFullStallMicros());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read /proc/stat: " + e.getMessage(), e);
        }
    }

    /** {@code total=} of the {@code full} line of /proc/pressure/io; -1 when absent (no PSI in this kernel). */
    static long ioFullStallMicros() {
        Path pressure = PROC.resolve("pressure").resolve("io");
        try {
            for (String line : Files.readAllLines(pressure, StandardCharsets.US_ASCII)) {
                if (line.startsWith("full ")) {
                    return parseTotal(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** The {@code total=} field of a PSI line such as {@code full avg10=0.00 avg60=0.00 avg300=0.00 total=123}. */
    static long parseTotal(String psiLine) {
        for (String field : psiLine.trim().split("\\s+")) {
            if (field.startsWith("total=")) {
                return Long.parseLong(field.substring("total=".length()));
            }
        }
        return -1;
    }

    /** Parses /proc/[pid]/stat; null when the process ended while being read. */
    static Proc read(Path stat) {
        String s;
        try {
            s = Files.readString(stat, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
        return parse(s);
    }

    /**
     * Fields after the command (which may contain spaces and parentheses, hence the last ')'): state is field 3,
     * ppid 4, utime 14, stime 15, cutime 16, cstime 17 (proc(5), 1-based).
     */
    static Proc parse(String stat) {
        int close = stat.lastIndexOf(')');
        int open = stat.indexOf('(');
        if (close < 0 || open < 0) {
            return null;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length < 15) {
            return null;
        }
        long pid = Long.parseLong(stat.substring(0, open).trim());
        long ppid = Long.parseLong(f[1]);
        long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        long reaped = Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return new Proc(pid, ppid, own, reaped);
    }
}

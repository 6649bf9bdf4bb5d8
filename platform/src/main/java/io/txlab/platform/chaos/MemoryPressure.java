package io.txlab.platform.chaos;

import io.txlab.platform.scheduling.PeriodicTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A heap squeezed from inside, on a signal from outside (issue 17, part 5): while the file {@code trigger} exists, the
 * process holds on to all of its free heap but the number of MiB the file names, so every request allocates into what
 * is left and the collector runs again and again; once the file is gone, the ballast is dropped. A file, not an
 * endpoint: nothing to authenticate, and nothing reachable over the network even with the profile on.
 *
 * <p>Like {@link CrashPoints}, only with the {@code chaos} profile and {@code txlab.chaos.memory-pressure-file} set.
 * It answers in {@code <trigger>.held}: the MiB held and the heap's maximum, written once the ballast is in place and
 * deleted once it is dropped, so the driver knows when the pressure began and ended.
 */
public final class MemoryPressure implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MemoryPressure.class);
    private static final int MIB = 1 << 20;
    static final Duration POLL = Duration.ofMillis(100);

    private final Path trigger;
    private final Path answer;
    private final PeriodicTask task;
    private final List<byte[]> ballast = new ArrayList<>();
    /** At most this many MiB held (tests: a JVM whose heap is a quarter of the machine need not fill it). */
    private final long capMib;

    public MemoryPressure(Path trigger) {
        this(trigger, Long.MAX_VALUE);
    }

    MemoryPressure(Path trigger, long capMib) {
        this.capMib = capMib;
        this.trigger = trigger;
        this.answer = trigger.resolveSibling(trigger.getFileName() + ".held");
        this.task = new PeriodicTask("chaos-memory-pressure", Duration.ZERO, POLL, this::check);
    }

    public void start() {
        log.warn("CHAOS profile active: the heap is squeezed while {} exists", trigger);
        task.start();
    }

    /** One look at the trigger: squeeze when it appeared, release when it went. */
    synchronized void check() {
        boolean asked = Files.exists(trigger);
        if (asked && ballast.isEmpty()) {
            squeeze(headroomMib());
        } else if (!asked && !ballast.isEmpty()) {
            release();
        }
    }

    /** MiB held now. */
    synchronized int heldMib() {
        return ballast.size();
    }

    private int headroomMib() {
        try {
            return Integer.parseInt(Files.readString(trigger, StandardCharsets.UTF_8).strip());
        } catch (IOException | NumberFormatException e) {
            log.warn("{} does not name the MiB to leave free ({}); leaving 16", trigger, e.getMessage());
            return 16;
        }
    }

    private void squeeze(int headroomMib) {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long take = Math.min(capMib, free / MIB - headroomMib);
        try {
            for (long i = 0; i < take; i++) {
                ballast.add(new byte[MIB]);
            }
        } catch (OutOfMemoryError full) {
            // the estimate was generous: what is held stays held
        }
        int held = ballast.size();
        log.warn("CHAOS memory pressure: holding {} MiB of a {} MiB heap, leaving about {} MiB", held,
                rt.maxMemory() / MIB, headroomMib);
        write(held + " " + rt.maxMemory() / MIB + "\n");
    }

    private void release() {
        int held = ballast.size();
        ballast.clear();
        log.warn("CHAOS memory pressure: released {} MiB", held);
        try {
            Files.deleteIfExists(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String text) {
        try {
            Path tmp = answer.resolveSibling(answer.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, answer, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        task.stop();
        if (!ballast.isEmpty()) {
            release();
        }
    }
}

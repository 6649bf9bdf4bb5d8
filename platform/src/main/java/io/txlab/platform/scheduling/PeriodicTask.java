package io.txlab.platform.scheduling;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs one task on its own daemon thread, named {@code name}, first after {@code initialDelay} and then
 * {@code delay} after the end of each run (fixed delay: a slow run never overlaps the next one). A run that throws
 * is logged and the schedule goes on, so a database or broker hiccup cannot silently end a recovery sweep or freeze a
 * gauge. {@link #stop()} lets a run in flight finish for a moment, then interrupts it; the task can be started again.
 *
 * <p>It is a {@link SmartLifecycle} (default phase, auto-startup) so that it can be a bean of its own, but the
 * owners in this code base call {@link #start()} and {@link #stop()} from their existing hooks (lifecycle start,
 * application ready, construction; lifecycle stop, destroy, close), because when a sweep or a gauge starts and stops
 * relative to the rest of the application is part of what it does.
 *
 * <p>Why not Spring's scheduling: {@code @Scheduled} runs every task on one shared scheduler thread, so a recovery pass
 * stuck on an unreachable database would hold up a 250 ms long-poll tick, and the per-task thread names that thread
 * dumps and logs show would be lost. A {@code ThreadPoolTaskScheduler} per task avoids the sharing but numbers its
 * threads ({@code dlt-depth1}), adds a lifecycle of its own (pause on stop, resume on restart) next to the owner's, and
 * still needs the same start/stop wiring. One single-thread {@link ScheduledExecutorService} per task, wrapped here
 * once, is the smallest thing that keeps the names and the isolation.
 */
public final class PeriodicTask implements SmartLifecycle {

    /** How long {@link #stop()} waits for a run in flight before interrupting it, and again after that. */
    static final Duration STOP_GRACE = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration initialDelay;
    private final Duration delay;
    private final Runnable task;
    private final Duration stopGrace;
    private ScheduledExecutorService executor;

    /**
     * @param name         the thread's name, also used in log lines
     * @param initialDelay from {@link #start()} to the first run; zero runs it at once (off the caller's thread)
     * @param delay        from the end of one run to the start of the next; must be positive
     * @param task         one pass; exceptions it throws are logged and the next pass runs as planned
     */
    public PeriodicTask(String name, Duration initialDelay, Duration delay, Runnable task) {
        this(name, initialDelay, delay, task, STOP_GRACE);
    }

    PeriodicTask(String name, Duration initialDelay, Duration delay, Runnable task, Duration stopGrace) {
        this.name = Objects.requireNonNull(name, "name");
        this.initialDelay = Objects.requireNonNull(initialDelay, "initialDelay");
        this.delay = Objects.requireNonNull(delay, "delay");
        this.task = Objects.requireNonNull(task, "task");
        this.stopGrace = stopGrace;
        if (initialDelay.isNegative() || delay.toMillis() <= 0) {
            throw new IllegalArgumentException(name + ": initial delay must be >= 0 and delay >= 1 ms, got "
                    + initialDelay + " and " + delay);
        }
    }

    /** Schedules the task; does nothing when it is already running. */
    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        started.scheduleWithFixedDelay(this::runOnce, initialDelay.toMillis(), delay.toMillis(),
                TimeUnit.MILLISECONDS);
        executor = started;
    }

    private void runOnce() {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("{} failed; next run in {}: {}", name, delay, e.toString());
            log.debug("{} failure", name, e);
        } catch (Error e) {
            // Rethrown, which ends the schedule: carrying on after e.g. an OutOfMemoryError would hide it.
            log.error("{} failed with an error; it will not run again until restarted", name, e);
            throw e;
        }
    }

    /**
     * Cancels the runs not started yet, waits up to a second for a run in flight, then interrupts it and waits up to
     * a second more. Returns without waiting when the task is not running.
     */
    @Override
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = executor;
            executor = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.shutdownNow();
                if (!stopping.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{} did not end within {} of being interrupted; leaving its daemon thread", name,
                            stopGrace);
                }
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}

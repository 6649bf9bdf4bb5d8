package io.txlab.platform.outbox;

import io.debezium.util.DelayStrategy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Debezium streaming thread's pause after empty reads of the replication stream, woken by this service's own
 * outbox commits (adr/0022).
 *
 * <p>Stock Debezium sleeps a constant {@code poll.interval.ms} after every few empty reads, so an idle relay wakes a
 * hundred times a second to find nothing, and a relayed hop waits up to the interval for the next read. The rows this
 * relay carries are written by the same JVM ({@code OutboxWriter}), which calls {@link #wake()} after each commit that
 * wrote one: the streaming thread then reads at once. Between commits it sleeps
 * <ul>
 *   <li>{@code active} (the relay's {@code poll.interval.ms}) while the relay is busy: for {@link #HOT_WINDOW} after
 *       the last wake-up or relayed row, so a row that reaches the replication stream a moment after the reads the
 *       wake-up triggered waits no longer than it does today;</li>
 *   <li>{@code idle} otherwise: the longest a row nobody announced can wait (one written by another process, e.g. by
 *       hand or by a second instance of the service).</li>
 * </ul>
 * A wake-up that arrives while the thread is reading is kept, so the next pause returns at once: none is lost.
 */
public final class RelayPause implements DelayStrategy {

    /** How long after the last wake-up or relayed row the pause stays at {@code active}. */
    public static final Duration HOT_WINDOW = Duration.ofSeconds(1);

    private final long activeNanos;
    private final long idleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    /** Guarded by {@link #lock}: a wake-up not yet consumed by a pause. */
    private boolean pending;
    /** Pauses taken so far (the streaming thread's idle wake-ups show in it). */
    private volatile long pauses;
    /** When the relay last had work ({@link #wake()} or {@link #relayed()}); nanoTime. */
    private volatile long lastActivity = System.nanoTime() - HOT_WINDOW.toNanos() - 1;

    /**
     * @param active the pause while the relay is busy: Debezium's {@code poll.interval.ms}
     * @param idle   the pause once it has been idle for {@link #HOT_WINDOW}; not shorter than {@code active}
     */
    public RelayPause(Duration active, Duration idle) {
        if (active.isNegative() || active.isZero()) {
            throw new IllegalArgumentException("the active pause must be above 0, was " + active);
        }
        if (idle.compareTo(active) < 0) {
            throw new IllegalArgumentException("the idle pause (" + idle + ") must not be shorter than the active one ("
                    + active + ")");
        }
        this.activeNanos = active.toNanos();
        this.idleNanos = idle.toNanos();
    }

    /** After a commit that wrote an outbox row: the streaming thread reads the replication stream now. */
    public void wake() {
        lastActivity = System.nanoTime();
        lock.lock();
        try {
            pending = true;
            woken.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The relay handed rows to Kafka: stay quick to read for a while (rows may come from elsewhere). */
    public void relayed() {
        lastActivity = System.nanoTime();
    }

    /** How many pauses the streaming thread has taken: it is the thread that calls this pause. */
    public long pauses() {
        return pauses;
    }

    /** How long the next pause lasts at most, in ms; for tests and the log. */
    long currentPauseMillis() {
        return TimeUnit.NANOSECONDS.toMillis(hot() ? activeNanos : idleNanos);
    }

    private boolean hot() {
        return System.nanoTime() - lastActivity < HOT_WINDOW.toNanos();
    }

    @Override
    public boolean sleepWhen(boolean criteria) {
        if (!criteria) {
            return false;
        }
        lock.lock();
        try {
            pauses++;
            long remaining = hot() ? activeNanos : idleNanos;
            while (!pending && remaining > 0) {
                remaining = woken.awaitNanos(remaining);
            }
            pending = false;
        } catch (InterruptedException e) {
            // as Debezium's own constant pause does: keep the flag, the streaming loop sees it and stops
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        return true;
    }
}

package io.txlab.loadtests.simulations;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-off between the comparison and the simulation Gatling instantiates in the same JVM (runs are strictly one
 * at a time): when injection started, how many orders have finished so far (so the comparison can take CPU readings
 * in windows while the run goes on), and a request to stop injecting (a warm-up that reached steady state ends
 * early). {@link #begin()} opens a run before Gatling starts it.
 */
public final class RunControl {

    private static volatile RunControl current = new RunControl();

    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicLong finished = new AtomicLong();
    private volatile long startNanos;
    private volatile boolean stopRequested;

    private RunControl() {
    }

    /** A fresh control for the run about to start. */
    public static RunControl begin() {
        current = new RunControl();
        return current;
    }

    public static RunControl current() {
        return current;
    }

    /** Called by the simulation just before Gatling injects the first user. */
    void markStarted() {
        startNanos = System.nanoTime();
        started.countDown();
    }

    /** Called for every order the run recorded (final or not). */
    void orderFinished() {
        finished.incrementAndGet();
    }

    /** Asks the run to stop: the next arriving user stops the load generator (orders in flight are abandoned). */
    public void requestStop() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    public long finishedOrders() {
        return finished.get();
    }

    /** Waits until injection started; returns its {@link System#nanoTime()}, or -1 if it did not within the timeout. */
    public long awaitStart(long timeout, TimeUnit unit) throws InterruptedException {
        return started.await(timeout, unit) ? startNanos : -1;
    }
}

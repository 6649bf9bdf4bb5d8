package io.txlab.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeriodicTaskTest {

    private static final long WAIT_SECONDS = 10;

    private PeriodicTask periodic;

    @AfterEach
    void stopTask() {
        if (periodic != null) {
            periodic.stop();
        }
    }

    @Test
    void runsAtOnceAndRepeatsOnANamedDaemonThread() throws Exception {
        CountDownLatch threeRuns = new CountDownLatch(3);
        AtomicReference<Thread> worker = new AtomicReference<>();
        periodic = new PeriodicTask("periodic-test", Duration.ZERO, Duration.ofMillis(1), () -> {
            worker.set(Thread.currentThread());
            threeRuns.countDown();
        });

        periodic.start();

        assertThat(periodic.isRunning()).isTrue();
        assertThat(threeRuns.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.get().getName()).isEqualTo("periodic-test");
        assertThat(worker.get().isDaemon()).isTrue();
        assertThat(worker.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aFailingRunIsLoggedAndTheScheduleGoesOn() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch runAfterFailures = new CountDownLatch(1);
        periodic = new PeriodicTask("periodic-failing", Duration.ZERO, Duration.ofMillis(1), () -> {
            if (runs.incrementAndGet() <= 2) {
                throw new IllegalStateException("database hiccup " + runs.get());
            }
            runAfterFailures.countDown();
        });

        periodic.start();

        assertThat(runAfterFailures.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(runs.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void stopCancelsRunsNotStartedYet() {
        AtomicInteger runs = new AtomicInteger();
        periodic = new PeriodicTask("periodic-delayed", Duration.ofHours(1), Duration.ofHours(1),
                runs::incrementAndGet);

        periodic.start();
        periodic.stop();

        assertThat(periodic.isRunning()).isFalse();
        assertThat(runs.get()).isZero();
    }

    @Test
    void stopLetsTheRunInFlightFinishAndEndsTheThread() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicReference<Thread> worker = new AtomicReference<>();
        periodic = new PeriodicTask("periodic-in-flight", Duration.ZERO, Duration.ofHours(1), () -> {
            worker.set(Thread.currentThread());
            inFlight.countDown();
            try {
                release.await();
                finished.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }, Duration.ofSeconds(WAIT_SECONDS));
        periodic.start();
        assertThat(inFlight.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        Thread stopper = new Thread(periodic::stop, "stopper");
        stopper.start();
        // stop() waits for the run in flight (the grace is far longer than this test): release it only then.
        awaitState(stopper, Thread.State.TIMED_WAITING);
        assertThat(finished).isFalse();
        release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        worker.get().join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

        assertThat(stopper.isAlive()).isFalse();
        assertThat(worker.get().isAlive()).isFalse();
        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
        assertThat(periodic.isRunning()).isFalse();
    }

    @Test
    void stopInterruptsARunThatOutlastsTheGrace() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        periodic = new PeriodicTask("periodic-stuck", Duration.ZERO, Duration.ofHours(1), () -> {
            worker.set(Thread.currentThread());
            inFlight.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }, Duration.ofMillis(50));
        periodic.start();
        assertThat(inFlight.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        periodic.stop();

        assertThat(interrupted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        worker.get().join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(worker.get().isAlive()).isFalse();
        assertThat(periodic.isRunning()).isFalse();
    }

    @Test
    void startsAgainAfterStopAndIgnoresASecondStart() throws Exception {
        AtomicReference<CountDownLatch> ran = new AtomicReference<>(new CountDownLatch(1));
        periodic = new PeriodicTask("periodic-restart", Duration.ZERO, Duration.ofMillis(1),
                () -> ran.get().countDown());
        periodic.start();
        periodic.start();
        assertThat(ran.get().await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        periodic.stop();
        periodic.stop();
        assertThat(periodic.isRunning()).isFalse();

        ran.set(new CountDownLatch(1));
        periodic.start();

        assertThat(ran.get().await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(periodic.isRunning()).isTrue();
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (thread.getState() != state) {
            assertThat(System.nanoTime() - deadline).as("%s reaching %s", thread.getName(), state).isNegative();
            Thread.sleep(1);
        }
    }

    @Test
    void refusesADelayThatCannotBeScheduled() {
        assertThatThrownBy(() -> new PeriodicTask("periodic-bad", Duration.ZERO, Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("periodic-bad");
        assertThatThrownBy(() -> new PeriodicTask("periodic-bad", Duration.ofMillis(-1), Duration.ofSeconds(1),
                () -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

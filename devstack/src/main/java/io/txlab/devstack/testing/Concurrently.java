package io.txlab.devstack.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on their own threads released at the same moment, for tests of races (two reserves of one order, a
 * release racing its reserve). Waits for all of them, at most a minute, and rethrows the first failure.
 */
public final class Concurrently {

    private Concurrently() {
    }

    /** {@code threads} copies of {@code task}, started together. */
    public static void run(int threads, Callable<?> task) throws Exception {
        run(threads, Collections.nCopies(threads, task));
    }

    /** Each task on one of {@code threads} threads, started together. */
    public static void run(int threads, List<? extends Callable<?>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (Callable<?> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

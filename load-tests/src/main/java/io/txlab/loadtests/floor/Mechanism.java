package io.txlab.loadtests.floor;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;

/**
 * One flow's mechanism without the services around it: the same local writes, the same broker, CDC relay, workflow
 * engine, coordinator log or serializable transaction, driven by plain clients in one JVM (no HTTP, no Spring).
 * {@link #place} starts an order and returns at once; the mechanism calls {@link Completion#done} when the order's last local transaction has committed.
 */
interface Mechanism extends AutoCloseable {

    /** The stack components it runs on; with this JVM, what its CPU per order counts. */
    Set<String> components();

    /** Creates its databases, topics or workers; after this, {@link #place} may be called. */
    void start(Completion completion) throws Exception;

    void place(MechanismDatabases.Order order);

    /** Orders CONFIRMED in its order database so far: the check that every order it timed really finished. */
    long confirmedOrders() throws Exception;

    /** A sentence for the output: what one order does here. */
    String describe();

    /** What the mechanism counted over the whole run (retries, for one), written with its result; none by default. */
    default Map<String, Object> counters() {
        return Map.of();
    }

    @Override
    void close();

    /**
     * How every mechanism's {@link #place} runs an order: on a worker thread, with a member of {@code pool} (a connection
     * or a client) taken for it and given back afterwards; a failure completes the order with its error.
     */
    static <T> void onPooled(ExecutorService workers, BlockingQueue<T> pool, MechanismDatabases.Order order,
                             Completion completion, PooledWork<T> work) {
        workers.execute(() -> {
            T member = null;
            try {
                member = pool.take();
                work.run(member);
            } catch (Exception e) {
                completion.done(order, e);
            } finally {
                if (member != null) {
                    pool.add(member);
                }
            }
        });
    }

    /** An order's work on a pool member. */
    @FunctionalInterface
    interface PooledWork<T> {
        void run(T member) throws Exception;
    }

    @FunctionalInterface
    interface Completion {
        /** The order's final commit is done (failed: {@code error} not null). */
        void done(MechanismDatabases.Order order, Throwable error);
    }
}

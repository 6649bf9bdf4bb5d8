package io.txlab.devstack.temporal;

import io.temporal.internal.testservice.TestServicesStarter;

import java.lang.reflect.Field;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Lock;

/**
 * The Temporal test server's task-queue backlogs, first in, first out within a priority (ADR 53).
 * <p>
 * The test server keeps the tasks no poller is waiting for in a {@code PriorityQueue} ordered by priority key alone.
 * Every txlab task has the default key, and a heap of equal keys does not keep arrival order: each poll moves the
 * newest task to the head. While a backlog lasts, new tasks pass the old ones, and the oldest wait until it drains.
 * Under a closed loop of 64 orchestration orders at +10 ms a round trip, workflow tasks waited 15 to 20 s in the
 * saga-orchestrator queue while its five pollers kept serving newer ones. Temporal's server documents the opposite:
 * tasks of one priority are dispatched first in, first out. The stand-in should queue as the real thing does, or the
 * comparison measures the stand-in.
 * <p>
 * This puts a map into the server's workflow store in place of each of its task-queue maps; every task queue the store
 * creates goes through it, and gets a backlog ordered by the server's own comparator (the priority key) and then by
 * arrival.
 */
final class FifoTaskQueues {

    /** The store's maps of task queues, by field name. */
    static final List<String> MAPS = List.of("workflowTaskQueues", "activityTaskQueues", "nexusTaskQueues");

    private FifoTaskQueues() {
    }

    /**
     * Puts the patching maps into the services' workflow store, patching the task queues it holds so far. Returns null
     * when they are in place, else why not (a Temporal SDK that renamed a field): the server then runs with the stock
     * backlogs.
     */
    static String install(TestServicesStarter services) {
        try {
            Object store = store(services);
            Lock lock = (Lock) field(store.getClass(), "lock").get(store);
            lock.lock();
            try {
                for (String name : MAPS) {
                    Field f = field(store.getClass(), name);
                    Map<?, ?> stock = (Map<?, ?>) f.get(store);
                    Patching patched = new Patching();
                    for (Map.Entry<?, ?> e : stock.entrySet()) {
                        patched.put(e.getKey(), e.getValue());
                    }
                    f.set(store, patched);
                }
            } finally {
                lock.unlock();
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return e.toString();
        }
    }

    /** The services' {@code TestWorkflowStoreImpl}, whose maps this replaces. */
    static Object store(TestServicesStarter services) throws ReflectiveOperationException {
        return field(TestServicesStarter.class, "workflowStore").get(services);
    }

    /**
     * Gives {@code taskQueue} (a test server {@code TaskQueue}) a first-in-first-out backlog, keeping the tasks it
     * holds. Under the task queue's own lock, the one its {@code add} and {@code poll} take.
     */
    static void patch(Object taskQueue) throws ReflectiveOperationException {
        Field f = field(taskQueue.getClass(), "backlog");
        synchronized (taskQueue) {
            PriorityQueue<?> stock = (PriorityQueue<?>) f.get(taskQueue);
            if (stock instanceof FifoBacklog) {
                return;
            }
            @SuppressWarnings("unchecked")
            FifoBacklog fifo = new FifoBacklog(new Arrivals((Comparator<Object>) stock.comparator()));
            for (Object task = stock.poll(); task != null; task = stock.poll()) {
                fifo.add(task);
            }
            f.set(taskQueue, fifo);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /** A map of task queues that patches each task queue put into it (the store puts each one as it creates it). */
    static final class Patching extends HashMap<Object, Object> {

        @Override
        public Object put(Object key, Object taskQueue) {
            try {
                patch(taskQueue);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot give task queue " + key + " a first-in-first-out backlog", e);
            }
            return super.put(key, taskQueue);
        }
    }

    /** A backlog ordered by the server's comparator, then by arrival. */
    static final class FifoBacklog extends PriorityQueue<Object> {

        private final Arrivals arrivals;

        private FifoBacklog(Arrivals arrivals) {
            super(arrivals);
            this.arrivals = arrivals;
        }

        @Override
        public boolean offer(Object task) {
            arrivals.stamp(task);
            return super.offer(task);
        }

        @Override
        public Object poll() {
            Object task = super.poll();
            if (task != null) {
                arrivals.forget(task);
            }
            return task;
        }
    }

    /** The server's order (null: none), then the order in which the tasks arrived. */
    private static final class Arrivals implements Comparator<Object> {

        private final Comparator<Object> server;
        private final Map<Object, Long> stamps = new IdentityHashMap<>();
        private long next;

        Arrivals(Comparator<Object> server) {
            this.server = server;
        }

        void stamp(Object task) {
            stamps.put(task, next++);
        }

        void forget(Object task) {
            stamps.remove(task);
        }

        @Override
        public int compare(Object a, Object b) {
            int byServer = server == null ? 0 : server.compare(a, b);
            return byServer != 0 ? byServer : Long.compare(stamps.get(a), stamps.get(b));
        }
    }
}

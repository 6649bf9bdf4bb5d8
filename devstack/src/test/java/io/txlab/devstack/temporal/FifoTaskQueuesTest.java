package io.txlab.devstack.temporal;

import io.temporal.api.common.v1.Priority;
import io.temporal.internal.testservice.TestServicesStarter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test server's own task queue ({@code io.temporal.internal.testservice.TaskQueue}), driven through its
 * package-private {@code add} and {@code poll} as the server's store drives it: a backlog of 20 tasks that stays 20
 * long while one task arrives and one is served per step, as under a closed loop that keeps the pollers busy.
 */
class FifoTaskQueuesTest {

    private static final int BACKLOG = 20;
    private static final int STEPS = 200;

    private final TestServicesStarter services = new TestServicesStarter(true, 0);

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void theStockBacklogLeavesItsOldestTasksWaitingWhileNewerOnesPass() throws Exception {
        List<Integer> served = steadyBacklog(newTaskQueue());

        // If this fails, the SDK's backlog keeps arrival order: ADR 53's patch can go.
        assertThat(served.stream().filter(task -> task < BACKLOG).count())
                .as("of the %d tasks waiting first, those served in %d steps", BACKLOG, STEPS).isLessThanOrEqualTo(1);
    }

    @Test
    void patchedTheBacklogServesTasksInTheOrderTheyArrived() throws Exception {
        Object queue = newTaskQueue();
        FifoTaskQueues.patch(queue);

        List<Integer> served = steadyBacklog(queue);

        List<Integer> arrivalOrder = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            arrivalOrder.add(i);
        }
        assertThat(served).containsExactlyElementsOf(arrivalOrder);
    }

    @Test
    void patchedTheBacklogStillServesAHigherPriorityFirstAndKeepsWhatItHeld() throws Exception {
        Object queue = newTaskQueue();
        add(queue, "held before the patch");
        FifoTaskQueues.patch(queue);
        Method addWithPriority = queue.getClass().getDeclaredMethod("add", Object.class, Priority.class);
        addWithPriority.setAccessible(true);
        add(queue, "default 1");
        add(queue, "default 2");
        addWithPriority.invoke(queue, "urgent", Priority.newBuilder().setPriorityKey(1).build());

        assertThat(List.of(poll(queue), poll(queue), poll(queue), poll(queue)))
                .containsExactly("urgent", "held before the patch", "default 1", "default 2");
    }

    @Test
    void installedEveryTaskQueueTheStoreCreatesGetsAFirstInFirstOutBacklog() throws Exception {
        assertThat(FifoTaskQueues.install(services)).isNull();
        Object store = FifoTaskQueues.store(services);

        for (String name : FifoTaskQueues.MAPS) {
            Field f = store.getClass().getDeclaredField(name);
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<Object, Object> queues = (Map<Object, Object>) f.get(store);
            assertThat(queues).as(name).isInstanceOf(FifoTaskQueues.Patching.class);
            Object created = newTaskQueue();
            queues.put("a task queue the store creates", created);
            assertThat(backlog(created)).as(name).isInstanceOf(FifoTaskQueues.FifoBacklog.class);
        }
    }

    /** 20 tasks (0-19) waiting, then per step one arrives (20, 21 ...) and one is served: the tasks served in order. */
    private static List<Integer> steadyBacklog(Object queue) throws Exception {
        int next = 0;
        for (; next < BACKLOG; next++) {
            add(queue, next);
        }
        List<Integer> served = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            add(queue, next++);
            served.add((Integer) poll(queue));
        }
        return served;
    }

    private static Object newTaskQueue() throws Exception {
        Constructor<?> c = Class.forName("io.temporal.internal.testservice.TaskQueue").getDeclaredConstructor();
        c.setAccessible(true);
        return c.newInstance();
    }

    private static void add(Object queue, Object task) throws Exception {
        Method add = queue.getClass().getDeclaredMethod("add", Object.class);
        add.setAccessible(true);
        add.invoke(queue, task);
    }

    private static Object poll(Object queue) throws Exception {
        Method poll = queue.getClass().getDeclaredMethod("poll");
        poll.setAccessible(true);
        return ((Future<?>) poll.invoke(queue)).get();
    }

    private static Object backlog(Object queue) throws Exception {
        Field f = queue.getClass().getDeclaredField("backlog");
        f.setAccessible(true);
        return f.get(queue);
    }
}

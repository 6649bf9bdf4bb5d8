package io.txlab.devstack.temporal;

import io.temporal.internal.testservice.TestServicesStarter;

import java.lang.reflect.Field;
import java.util.LinkedList;
import java.util.concurrent.locks.Lock;

/**
 * The Temporal test server's time-skipping lock diary, bounded (ADR 30).
 * <p>
 * {@code SelfAdvancingTimerImpl} appends an event to a {@code LinkedList} for every time-skipping lock and unlock, and
 * removes only the lock events released through their handle, by a linear search from the head. Every other event stays
 * forever: about 16 per saga order, so after a few thousand orders each timer that fires (every activity and workflow
 * task leaves timers behind, which fire later and find nothing to do) scans tens of thousands of nodes. An
 * async-profiler capture of the server after an orchestration run put 72 % of its samples in
 * {@code LinkedList.remove}; its cost per order grew with every order it had served since it started.
 * <p>
 * The diary only feeds the "Unbalanced lock and unlock calls" diagnostics. This server runs with time skipping locked
 * for good (see {@link TemporalServerMain}), so the lock counter, which the timer keeps apart from the diary, decides
 * nothing here either. This list keeps the last {@value #KEEP} events for those diagnostics, and a removal always
 * succeeds: an event too old to be kept was released all the same.
 */
final class BoundedLockDiary extends LinkedList<Object> {

    static final int KEEP = 32;

    @Override
    public boolean add(Object event) {
        super.add(event);
        if (size() > KEEP) {
            removeFirst();
        }
        return true;
    }

    @Override
    public boolean remove(Object event) {
        super.remove(event);
        return true;
    }

    /**
     * Puts a bounded diary into the services' timer, keeping the events it holds so far. Returns null when it is in
     * place, else why not (a Temporal SDK that renamed a field): the server then runs with the stock diary.
     */
    static String install(TestServicesStarter services) {
        try {
            Object timer = timer(services);
            Field diaryField = field(timer.getClass(), "lockEvents");
            if (!LinkedList.class.equals(diaryField.getType())) {
                return "SelfAdvancingTimerImpl.lockEvents is a " + diaryField.getType().getName() + ", not a LinkedList";
            }
            // the timer's own lock guards the diary; its pump thread already runs
            Lock lock = (Lock) field(timer.getClass(), "lock").get(timer);
            lock.lock();
            try {
                BoundedLockDiary diary = new BoundedLockDiary();
                ((LinkedList<?>) diaryField.get(timer)).forEach(diary::add);
                diaryField.set(timer, diary);
            } finally {
                lock.unlock();
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return e.toString();
        }
    }

    /** The diary now in the services' timer (for tests). */
    static LinkedList<?> of(TestServicesStarter services) throws ReflectiveOperationException {
        Object timer = timer(services);
        return (LinkedList<?>) field(timer.getClass(), "lockEvents").get(timer);
    }

    /** The services' {@code SelfAdvancingTimerImpl}, whose diary this replaces. */
    static Object timer(TestServicesStarter services) throws ReflectiveOperationException {
        return field(TestServicesStarter.class, "selfAdvancingTimer").get(services);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}

package io.txlab.devstack.temporal;

import io.temporal.internal.testservice.TestServicesStarter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The test server's time-skipping timer, driven through its own (package-private) lock calls, as the server's workflow
 * and activity state machines drive it: with the stock diary it grows by two events per lock released by the counter;
 * bounded, it stays small while the lock counter keeps its own balance check.
 */
class BoundedLockDiaryTest {

    private final TestServicesStarter services = new TestServicesStarter(true, 0);

    @AfterEach
    void close() {
        services.close();
    }

    @Test
    void theStockDiaryKeepsEveryEventOfALockReleasedByTheCounter() throws Exception {
        int before = BoundedLockDiary.of(services).size();
        for (int i = 0; i < 1000; i++) {
            call("lockTimeSkipping", "lock " + i);
            call("unlockTimeSkipping", "unlock " + i);
        }
        // If this fails, the SDK no longer keeps every event: ADR 30's patch can go.
        assertThat(BoundedLockDiary.of(services)).hasSize(before + 2000);
    }

    @Test
    void installedTheDiaryStaysBoundedAndKeepsTheEventsBeforeIt() throws Exception {
        List<Object> before = new ArrayList<>(BoundedLockDiary.of(services));
        assertThat(before).isNotEmpty(); // the server's own lock (time skipping locked at start)
        assertThat(BoundedLockDiary.install(services)).isNull();
        assertThat(BoundedLockDiary.of(services)).isInstanceOf(BoundedLockDiary.class);
        assertThat(new ArrayList<Object>(BoundedLockDiary.of(services))).containsExactlyElementsOf(before);

        Object oldHandle = call("lockTimeSkipping", "held across the run");
        for (int i = 0; i < 10_000; i++) {
            call("lockTimeSkipping", "lock " + i);
            call("unlockTimeSkipping", "unlock " + i);
            release(call("lockTimeSkipping", "handle " + i));
        }
        assertThat(BoundedLockDiary.of(services)).hasSizeBetween(BoundedLockDiary.KEEP - 1, BoundedLockDiary.KEEP);
        // released through its handle long after its event left the diary
        release(oldHandle);
    }

    private static void release(Object handle) throws ReflectiveOperationException {
        Method unlock = handle.getClass().getMethod("unlock");
        unlock.setAccessible(true);
        unlock.invoke(handle);
    }

    @Test
    void theLockCounterStillRefusesAnUnbalancedUnlock() throws Exception {
        assertThat(BoundedLockDiary.install(services)).isNull();
        call("lockTimeSkipping", "one more");
        Field count = timer().getClass().getDeclaredField("lockCount");
        count.setAccessible(true);
        for (int held = count.getInt(timer()); held > 0; held--) {
            call("unlockTimeSkipping", "releases a lock held");
        }
        assertThatThrownBy(() -> call("unlockTimeSkipping", "one too many"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Unbalanced lock and unlock calls");
    }

    private Object timer() throws ReflectiveOperationException {
        return BoundedLockDiary.timer(services);
    }

    private Object call(String method, String caller) throws Exception {
        Object timer = timer();
        Method m = timer.getClass().getMethod(method, String.class);
        m.setAccessible(true);
        try {
            return m.invoke(timer, caller);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}

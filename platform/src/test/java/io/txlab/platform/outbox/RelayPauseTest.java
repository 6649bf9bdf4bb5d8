package io.txlab.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.debezium.connector.postgresql.PostgresStreamingChangeEventSource;
import io.debezium.util.DelayStrategy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The woken streaming pause (adr/0022) on its own, and the Debezium field it replaces. */
class RelayPauseTest {

    private static long millisOf(Runnable r) {
        long started = System.nanoTime();
        r.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    @Test
    void idleItSleepsTheIdlePauseAndAfterWorkTheActiveOne() {
        RelayPause pause = new RelayPause(Duration.ofMillis(20), Duration.ofMillis(600));
        assertThat(pause.currentPauseMillis()).isEqualTo(600);
        assertThat(millisOf(() -> pause.sleepWhen(true))).isGreaterThanOrEqualTo(550);

        pause.relayed();
        assertThat(pause.currentPauseMillis()).isEqualTo(20);
        assertThat(millisOf(() -> pause.sleepWhen(true))).isLessThan(300);
        assertThat(pause.sleepWhen(false)).as("no pause asked for, none taken").isFalse();
        assertThat(pause.pauses()).isEqualTo(2);
    }

    @Test
    void aWakeUpEndsAPauseAtOnce() throws Exception {
        RelayPause pause = new RelayPause(Duration.ofMillis(10), Duration.ofSeconds(5));
        CompletableFuture<Long> slept = CompletableFuture.supplyAsync(() -> millisOf(() -> pause.sleepWhen(true)));
        Thread.sleep(100);
        pause.wake();
        assertThat(slept.get(10, TimeUnit.SECONDS)).as("ms asleep of a 5 s pause woken after 0.1 s").isLessThan(2_500);
    }

    @Test
    void aWakeUpWhileTheThreadReadsIsKeptForTheNextPause() {
        RelayPause pause = new RelayPause(Duration.ofMillis(10), Duration.ofSeconds(5));
        pause.wake();
        assertThat(millisOf(() -> pause.sleepWhen(true))).as("the pending wake-up ends the pause at once")
                .isLessThan(2_500);
    }

    @Test
    void theIdlePauseIsNotShorterThanTheActiveOne() {
        assertThatThrownBy(() -> new RelayPause(Duration.ofMillis(50), Duration.ofMillis(10)))
                .hasMessageContaining("must not be shorter");
        assertThatThrownBy(() -> new RelayPause(Duration.ZERO, Duration.ofMillis(10)))
                .hasMessageContaining("above 0");
    }

    @Test
    void debeziumStillHasThePauseFieldTheConnectorReplaces() throws Exception {
        // An upgrade that renames or retypes it fails here; in the relay it would only log and keep the stock pause.
        assertThat(PostgresStreamingChangeEventSource.class.getDeclaredField("pauseNoMessage").getType())
                .isEqualTo(DelayStrategy.class);
    }
}

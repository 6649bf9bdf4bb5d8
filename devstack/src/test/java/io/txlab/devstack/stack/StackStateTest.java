package io.txlab.devstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.devstack.process.ProcessControl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {

    @TempDir
    Path runDir;

    private final long self = ProcessHandle.current().pid();
    private final long selfStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    private final long selfTicks = ProcessControl.startTicks(self);

    @Test
    void aComponentWhoseRecordedProcessIsGoneOrAnotherIsStoppedInTheRecordsOrder() {
        StackState state = StackState.empty(0)
                .with("kafka", self, 9092, selfStart, selfTicks)
                .with("order-service", 999_999_999, 8081, selfStart, selfTicks)
                // the PID runs, but it is another process now (the kernel started it a second later than recorded)
                .with("payment-service", self, 8083, selfStart, selfTicks - 100)
                .with("inventory-service", self, 8082, selfStart, selfTicks);

        assertThat(state.stopped()).containsExactly("order-service", "payment-service");
        assertThat(state.running()).containsExactly("kafka", "inventory-service");
    }

    @Test
    void readBackFromTheRunDirectoryItTellsTheSame() {
        StackState.empty(0)
                .with("load-generator", self, 1, selfStart, selfTicks)
                .with("gone", 999_999_999, 2, selfStart, selfTicks)
                .write(runDir.resolve("stack.json"));

        StackState read = StackState.read(runDir.resolve("stack.json")).orElseThrow();

        assertThat(read.stopped()).containsExactly("gone");
        assertThat(read.running()).containsExactly("load-generator");
    }

    @Test
    void aProcessWhoseKernelStartMatchesIsRunningHowEverFarTheWallClockHasMovedSinceItWasRecorded() {
        // another JVM, started after the wall clock was slewed or stepped, computes another start instant for the
        // same process; the kernel's start in ticks since boot does not move
        StackState state = StackState.empty(0)
                .with("postgres-order", self, 15431, selfStart - 3_600_000, selfTicks)
                .with("postgres-payment", self, 15433, selfStart + 5_000, selfTicks);

        assertThat(selfTicks).isPositive();
        assertThat(state.running()).containsExactly("postgres-order", "postgres-payment");
        assertThat(state.stopped()).isEmpty();
    }

    @Test
    void aFileWrittenBeforeTheTicksWereRecordedIsJudgedByTheStartInstant() throws Exception {
        Path file = runDir.resolve("stack.json");
        Files.writeString(file, """
                {"portOffset": 0, "components": {
                  "kafka": {"pid": %d, "port": 9092, "startedAt": "2026-12-01T00:00:00Z", "processStartMs": %d},
                  "temporal": {"pid": %d, "port": 7233, "startedAt": "2026-12-01T00:00:00Z", "processStartMs": %d}
                }, "serviceEnvironment": {}}
                """.formatted(self, selfStart, self, selfStart - 60_000));

        StackState read = StackState.read(file).orElseThrow();

        assertThat(read.components().get("kafka").processStartTicks()).isZero();
        assertThat(read.running()).containsExactly("kafka");
        assertThat(read.stopped()).containsExactly("temporal");
    }

    @Test
    void anEmptyStackHasNothingRunningOrStopped() {
        assertThat(StackState.empty(0).stopped()).isEmpty();
        assertThat(StackState.empty(0).running()).isEmpty();
    }
}

package io.txlab.devstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {

    @TempDir
    Path runDir;

    private final long self = ProcessHandle.current().pid();
    private final long selfStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();

    @Test
    void aComponentWhoseRecordedProcessIsGoneOrAnotherIsStoppedInTheRecordsOrder() {
        StackState state = StackState.empty(0)
                .with("kafka", self, 9092, selfStart)
                .with("order-service", 999_999_999, 8081, selfStart)
                // the PID runs, but it is another process now (it started a minute later than recorded)
                .with("payment-service", self, 8083, selfStart - 60_000)
                .with("inventory-service", self, 8082, selfStart);

        assertThat(state.stopped()).containsExactly("order-service", "payment-service");
        assertThat(state.running()).containsExactly("kafka", "inventory-service");
    }

    @Test
    void readBackFromTheRunDirectoryItTellsTheSame() {
        StackState.empty(0)
                .with("load-generator", self, 1, selfStart)
                .with("gone", 999_999_999, 2, selfStart)
                .write(runDir.resolve("stack.json"));

        StackState read = StackState.read(runDir.resolve("stack.json")).orElseThrow();

        assertThat(read.stopped()).containsExactly("gone");
        assertThat(read.running()).containsExactly("load-generator");
    }

    @Test
    void anEmptyStackHasNothingRunningOrStopped() {
        assertThat(StackState.empty(0).stopped()).isEmpty();
        assertThat(StackState.empty(0).running()).isEmpty();
    }
}

package io.txlab.loadtests.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.devstack.stack.StackState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoppedComponentsTest {

    @TempDir
    Path runDir;

    @Test
    void aComponentWhoseRecordedProcessIsGoneIsStoppedInTheRecordsOrder() {
        Map<String, StackState.Entry> recorded = new LinkedHashMap<>();
        recorded.put("kafka", new StackState.Entry(11, 9092, "t", 1000));
        recorded.put("order-service", new StackState.Entry(12, 8081, "t", 2000));
        recorded.put("payment-service", new StackState.Entry(13, 8083, "t", 3000));
        recorded.put("inventory-service", new StackState.Entry(14, 8082, "t", 4000));
        // payment-service's pid runs, but it is another process now (started later): stopped all the same.
        Set<String> running = Set.of("11@1000", "13@3500", "14@4000");

        assertThat(StoppedComponents.of(recorded, (pid, started) -> running.contains(pid + "@" + started)))
                .containsExactly("order-service", "payment-service");
    }

    @Test
    void aStackWhoseProcessesAllRunHasNoneStopped() {
        Map<String, StackState.Entry> recorded = Map.of("kafka", new StackState.Entry(11, 9092, "t", 1000));

        assertThat(StoppedComponents.of(recorded, (pid, started) -> true)).isEmpty();
    }

    @Test
    void readsTheRunDirectorysStackJsonAndChecksTheRealProcesses() {
        ProcessHandle self = ProcessHandle.current();
        long selfStart = self.info().startInstant().orElseThrow().toEpochMilli();
        StackState.empty(0)
                .with("load-generator", self.pid(), 1, selfStart)
                .with("gone", 999_999_999, 2, selfStart)
                .write(runDir.resolve("stack.json"));

        assertThat(StoppedComponents.in(runDir)).containsExactly("gone");
    }

    @Test
    void noStackJsonNothingStopped() {
        assertThat(StoppedComponents.in(runDir)).isEmpty();
    }
}

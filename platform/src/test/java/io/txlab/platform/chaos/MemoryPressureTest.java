package io.txlab.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryPressureTest {

    @TempDir
    Path dir;

    @Test
    void holdsTheHeapWhileTheTriggerExistsAndAnswersThenReleasesOnceItIsGone() throws Exception {
        Path trigger = dir.resolve("memory-pressure");
        Path answer = dir.resolve("memory-pressure.held");
        try (MemoryPressure pressure = new MemoryPressure(trigger, 64)) {
            pressure.check();
            assertThat(pressure.heldMib()).as("no trigger, no pressure").isZero();
            assertThat(answer).doesNotExist();

            Files.writeString(trigger, "16\n");
            pressure.check();
            assertThat(pressure.heldMib()).isEqualTo(64);
            long maxMib = Runtime.getRuntime().maxMemory() >> 20;
            assertThat(Files.readString(answer).strip()).isEqualTo("64 " + maxMib);

            pressure.check();
            assertThat(pressure.heldMib()).as("held once, not again on every look").isEqualTo(64);

            Files.delete(trigger);
            pressure.check();
            assertThat(pressure.heldMib()).isZero();
            assertThat(answer).doesNotExist();
        }
    }

    @Test
    void aTriggerThatNamesNoNumberLeavesSixteenMibAndStillSqueezes() throws Exception {
        Path trigger = Files.writeString(dir.resolve("p"), "lots");
        try (MemoryPressure pressure = new MemoryPressure(trigger, 8)) {
            pressure.check();
            assertThat(pressure.heldMib()).isEqualTo(8);
        }
    }
}

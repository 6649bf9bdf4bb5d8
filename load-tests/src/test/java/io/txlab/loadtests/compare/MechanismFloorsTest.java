package io.txlab.loadtests.compare;

import static io.txlab.loadtests.compare.PlanArgs.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.Flow;
import io.txlab.loadtests.floor.MechanismFloor;
import io.txlab.loadtests.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MechanismFloorsTest {

    @TempDir
    Path dir;

    /** mechanism-floor-sample.json: the output of one MechanismFloorIT run (10/s, 2 s windows), kept as it was written. */
    @Test
    void readsEachFlowOfWhatTheCommandWrites() throws Exception {
        Path json = dir.resolve(MechanismFloors.JSON);
        try (var in = getClass().getResourceAsStream("/mechanism-floor-sample.json")) {
            Files.copy(in, json);
        }

        Results.MechanismFloorRun chor = MechanismFloors.read(json, "choreography", "./txlab mechanism-floor choreography");
        Results.MechanismFloorRun orch = MechanismFloors.read(json, "orchestration", "x");

        assertThat(chor.error()).isNull();
        assertThat(chor.command()).isEqualTo("./txlab mechanism-floor choreography");
        assertThat(chor.orders()).isEqualTo(20);
        assertThat(chor.rate()).isEqualTo(10.0);
        assertThat(chor.cpuMsPerOrder()).isEqualTo(60.5);
        assertThat(chor.cpuMsPerOrderNetOfIdle()).isEqualTo(54.63);
        assertThat(chor.p50Ms()).isEqualTo(33.53);
        assertThat(chor.p99Ms()).isEqualTo(50.53);
        // in the order the command wrote them, not hashed
        assertThat(chor.cpuMsPerOrderByComponent()).containsExactly(
                org.assertj.core.api.Assertions.entry("postgres-inventory", 1.0),
                org.assertj.core.api.Assertions.entry("postgres-payment", 1.0),
                org.assertj.core.api.Assertions.entry("postgres-order", 2.5),
                org.assertj.core.api.Assertions.entry("kafka", 22.5),
                org.assertj.core.api.Assertions.entry("mechanism-jvm", 33.5));
        assertThat(orch.cpuMsPerOrderByComponentNetOfIdle()).containsEntry("temporal", 65.0);
        assertThat(orch.flow()).isEqualTo("orchestration");
    }

    @Test
    void aMissingFlowOrAnUnreadableFileIsTheRunsErrorNotAnEmptyRow() throws Exception {
        Path other = Files.writeString(dir.resolve("other.json"), "{\"flows\": [{\"flow\": \"twopc\", \"orders\": 5}]}");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"flows\": [");

        Results.MechanismFloorRun absent = MechanismFloors.read(other, "choreography", "c");
        assertThat(absent.error()).isEqualTo("other.json has no run of choreography");
        assertThat(absent.cpuMsPerOrderNetOfIdle()).isNaN();
        assertThat(MechanismFloors.read(broken, "twopc", "c").error()).startsWith("could not read broken.json");
        assertThat(MechanismFloors.read(dir.resolve("missing.json"), "twopc", "c").error())
                .startsWith("could not read missing.json");
    }

    @Test
    void everyFlowHasAFloorInTheComparisonsOrder() {
        assertThat(MechanismFloors.withFloor(List.of("twopc", "cockroach", "outbox", "choreography", "orchestration")))
                .containsExactly("twopc", "cockroach", "outbox", "choreography", "orchestration");
        assertThat(MechanismFloor.FLOWS).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(Flow.values()).map(Flow::id).toList());
        assertThat(MechanismFloors.withFloor(List.of("outbox", "floor"))).containsExactly("outbox");
    }

    @Test
    void compareRunsThemInFullOnlyUnlessAsked() {
        assertThat(plan().mechanismFloors()).isFalse();
        assertThat(plan("--full").mechanismFloors()).isTrue();
        assertThat(plan("--mechanism-floors").mechanismFloors()).isTrue();
        assertThat(plan("--full", "--no-mechanism-floors").mechanismFloors()).isFalse();
        assertThat(plan("--full").mechanismFloorSeconds()).isEqualTo(60);
        assertThat(plan("--mechanism-floor-seconds", "5").mechanismFloorSeconds()).isEqualTo(5);
        assertThatThrownBy(() -> plan("--mechanism-floor-seconds", "0")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--mechanism-floor-seconds must be between 1 and 600, got 0");
    }
}

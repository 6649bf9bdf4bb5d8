package io.txlab.loadtests.compare;

import static io.txlab.loadtests.compare.PlanArgs.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.loadtests.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TwopcTaxTest {

    @TempDir
    Path dir;

    /** twopc-bench-sample.json: the output of one ./txlab twopc-bench --quick, kept as it was written. */
    @Test
    void readsWhatTheBenchmarkWrites() throws Exception {
        Path json = dir.resolve(TwopcTax.JSON);
        try (var in = getClass().getResourceAsStream("/twopc-bench-sample.json")) {
            Files.copy(in, json);
        }

        Results.TwopcTax t = TwopcTax.read(json, TwopcTax.OUTPUT);

        assertThat(t.error()).isNull();
        assertThat(t.command()).isEqualTo("./txlab twopc-bench --quick");
        assertThat(t.warmupMs()).isEqualTo(500);
        assertThat(t.durationMs()).isEqualTo(1500);
        assertThat(t.runs()).hasSize(12);
        assertThat(t.runs()).extracting(Results.TaxRun::participants).containsExactly(1, 2, 3, 5, 1, 2, 3, 5, 1, 2, 3, 5);
        Results.TaxRun local = t.runs().get(4);
        Results.TaxRun twopc = t.runs().get(5);
        assertThat(local.taxP50()).isNull();
        assertThat(twopc.concurrency()).isEqualTo(4);
        assertThat(twopc.taxP50()).isEqualTo(5.52);
        assertThat(twopc.p50Ms()).isEqualTo(5.41);
        assertThat(twopc.cpuMsPerTx()).isEqualTo(2.51);
        assertThat(twopc.cpuTax()).isEqualTo(6.28);
        assertThat(local.cpuMsPerTx()).isEqualTo(0.4);
        assertThat(local.cpuTax()).isNull();
        assertThat(t.crash()).extracting(Results.TaxCrash::outcome).containsExactly("ABORT", "COMMIT");
        assertThat(t.crash().get(0).competingUpdateBlockedMs()).isEqualTo(2022.14);
    }

    @Test
    void anOutputWithoutRunsOrUnreadableIsAnErrorNotAnEmptyTable() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "{\"command\": \"./txlab twopc-bench\", \"runs\": []}");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"runs\": [");

        assertThat(TwopcTax.read(empty, TwopcTax.OUTPUT).error()).contains("has no runs");
        assertThat(TwopcTax.read(broken, TwopcTax.OUTPUT).error()).startsWith("could not read broken.json");
        assertThat(TwopcTax.read(dir.resolve("missing.json"), TwopcTax.OUTPUT).error()).startsWith("could not read missing.json");
    }

    @Test
    void compareRunsItInFullOnlyUnlessAsked() {
        assertThat(plan().twopcBench()).isEqualTo(TwopcTax.OFF);
        assertThat(plan("--full").twopcBench()).isEqualTo(TwopcTax.FULL);
        assertThat(plan("--twopc-bench", "quick").twopcBench()).isEqualTo(TwopcTax.QUICK);
        assertThat(plan("--full", "--twopc-bench", "OFF").twopcBench()).isEqualTo(TwopcTax.OFF);
        assertThatThrownBy(() -> plan("--twopc-bench", "fast")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--twopc-bench must be one of full, quick, off");
    }
}

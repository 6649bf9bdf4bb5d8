package io.txlab.devstack.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmOptionsTest {

    @TempDir
    Path dir;

    @Test
    void everyStackJvmDumpsItsHeapIntoItsFolderAndExitsWhenItRunsOut() {
        for (List<String> options : List.of(JvmOptions.service("order-service", dir), JvmOptions.kafka("kafka", dir),
                JvmOptions.temporal("temporal", dir), JvmOptions.zipkin("zipkin", dir), JvmOptions.links("links", dir))) {
            assertThat(options).contains("-XX:+HeapDumpOnOutOfMemoryError", "-XX:+ExitOnOutOfMemoryError",
                    "-XX:HeapDumpPath=" + dir.toAbsolutePath());
        }
    }

    /** ADR 54: C2 for the Temporal test server and saga-orchestrator, C1 for every other JVM of the stack. */
    @Test
    void onlyTheOrchestrationEnginePairRunsC2() {
        for (List<String> options : List.of(JvmOptions.temporal("temporal", dir),
                JvmOptions.service("saga-orchestrator", dir))) {
            assertThat(options).contains(JvmOptions.C2).doesNotContain(JvmOptions.C1);
        }
        List<List<String>> onC1 = new ArrayList<>(List.of(JvmOptions.kafka("kafka", dir), JvmOptions.zipkin("zipkin", dir),
                JvmOptions.links("links", dir), JvmOptions.tool()));
        for (String service : List.of("order-service", "inventory-service", "payment-service", "twopc-coordinator")) {
            onC1.add(JvmOptions.service(service, dir));
        }
        for (List<String> options : onC1) {
            assertThat(options).contains(JvmOptions.C1).doesNotContain(JvmOptions.C2);
        }
    }

    /** The options as the JVM reads them: a JVM out of heap leaves its dump in the folder and ends with a failure. */
    @Test
    void aJvmOutOfHeapLeavesADumpAndExits() throws IOException, InterruptedException {
        Path source = dir.resolve("Fill.java");
        Files.writeString(source, """
                public class Fill {
                    public static void main(String[] args) throws Exception {
                        java.util.List<long[]> kept = new java.util.ArrayList<>();
                        while (true) {
                            kept.add(new long[1 << 16]);
                        }
                    }
                }
                """);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m"));
        command.addAll(JvmOptions.onOutOfMemory(dir));
        command.add(source.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.log").toFile()).start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM ended").isTrue();
        assertThat(process.exitValue()).isNotZero();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".hprof"));
        }
        assertThat(Files.readString(dir.resolve("out.log"))).contains("Terminating due to java.lang.OutOfMemoryError");
    }
}

package io.txlab.devstack.process;

import static io.txlab.devstack.Topology.INVENTORY_SERVICE;
import static io.txlab.devstack.Topology.KAFKA;
import static io.txlab.devstack.Topology.LINKS;
import static io.txlab.devstack.Topology.ORDER_SERVICE;
import static io.txlab.devstack.Topology.PAYMENT_SERVICE;
import static io.txlab.devstack.Topology.SAGA_ORCHESTRATOR;
import static io.txlab.devstack.Topology.TEMPORAL;
import static io.txlab.devstack.Topology.TWOPC_COORDINATOR;
import static io.txlab.devstack.Topology.ZIPKIN;
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
        for (List<String> options : List.of(JvmOptions.service(ORDER_SERVICE, dir), JvmOptions.kafka(KAFKA, dir),
                JvmOptions.temporal(TEMPORAL, dir), JvmOptions.zipkin(ZIPKIN, dir), JvmOptions.links(LINKS, dir))) {
            assertThat(options).contains("-XX:+HeapDumpOnOutOfMemoryError", "-XX:+ExitOnOutOfMemoryError",
                    "-XX:HeapDumpPath=" + dir.toAbsolutePath());
        }
    }

    /** ADR 54: C2 for the Temporal test server and saga-orchestrator, C1 for every other JVM of the stack. */
    @Test
    void onlyTheOrchestrationEnginePairRunsC2() {
        for (List<String> options : List.of(JvmOptions.temporal(TEMPORAL, dir),
                JvmOptions.service(SAGA_ORCHESTRATOR, dir))) {
            assertThat(options).contains(JvmOptions.C2).doesNotContain(JvmOptions.C1);
        }
        List<List<String>> onC1 = new ArrayList<>(List.of(JvmOptions.kafka(KAFKA, dir), JvmOptions.zipkin(ZIPKIN, dir),
                JvmOptions.links(LINKS, dir), JvmOptions.tool()));
        for (String service : List.of(ORDER_SERVICE, INVENTORY_SERVICE, PAYMENT_SERVICE, TWOPC_COORDINATOR)) {
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

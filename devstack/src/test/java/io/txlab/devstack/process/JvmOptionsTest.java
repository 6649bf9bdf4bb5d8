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

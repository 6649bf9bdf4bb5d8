package io.txlab.devstack.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class LogFilesTest {

    @Test
    void tailReturnsTheLastLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("x.log");
        Files.writeString(log, IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i)
                .collect(Collectors.joining("\n", "", "\n")));
        assertThat(LogFiles.tail(log, 3)).isEqualTo("line 4998\nline 4999\nline 5000");
        assertThat(LogFiles.tail(log, 1)).isEqualTo("line 5000");
    }

    @Test
    void tailOfAShortFileIsTheWholeFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("x.log");
        Files.writeString(log, "a\nb\n");
        assertThat(LogFiles.tail(log, 10)).isEqualTo("a\nb");
        assertThat(LogFiles.tail(dir.resolve("missing.log"), 10)).startsWith("(no log at");
    }

    @Test
    void aStartFailureShowsTheCauseBeforeTheShutdownNoise(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("kafka.log");
        Files.writeString(log, "09:15:47.1 [main] INFO  kafka.server.KafkaRaftServer - starting\n"
                + "09:15:47.9 [main] ERROR kafka.Kafka$ - Exiting Kafka due to fatal exception during startup.\n"
                + "Caused by: java.net.BindException: Address already in use\n"
                + IntStream.rangeClosed(1, 40).mapToObj(i -> "09:15:48.4 [kafka-shutdown-hook] INFO  shutdown " + i)
                .collect(Collectors.joining("\n", "", "\n")));
        String message = LogFiles.startFailure(log, 5);
        assertThat(message).startsWith("first errors:\n09:15:47.9 [main] ERROR kafka.Kafka$ - Exiting Kafka")
                .contains("Caused by: java.net.BindException: Address already in use")
                .contains("shutdown 40").doesNotContain("shutdown 30");

        Path postgres = dir.resolve("postgres.log");
        Files.writeString(postgres, "2026-12-05 LOG:  starting PostgreSQL\n"
                + "2026-12-05 FATAL:  could not create lock file \"postmaster.pid\"\n2026-12-05 LOG:  database system is shut down\n");
        assertThat(LogFiles.firstErrors(postgres, 5)).isEqualTo("2026-12-05 FATAL:  could not create lock file \"postmaster.pid\"");
        assertThat(LogFiles.startFailure(dir.resolve("clean.log"), 5)).doesNotContain("first errors");
    }

    @Test
    void argFileQuotesTheClasspath(@TempDir Path dir) throws Exception {
        Path argFile = dir.resolve("cp.args");
        JavaCommand.writeClasspathArgFile(argFile, "/a b/x.jar" + java.io.File.pathSeparator + "/c/y.jar");
        assertThat(Files.readString(argFile)).isEqualTo("-cp\n\"/a b/x.jar:/c/y.jar\"\n");
    }
}

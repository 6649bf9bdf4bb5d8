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
    void argFileQuotesTheClasspath(@TempDir Path dir) throws Exception {
        Path argFile = dir.resolve("cp.args");
        JavaCommand.writeClasspathArgFile(argFile, "/a b/x.jar" + java.io.File.pathSeparator + "/c/y.jar");
        assertThat(Files.readString(argFile)).isEqualTo("-cp\n\"/a b/x.jar:/c/y.jar\"\n");
    }
}

package io.txlab.devstack.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DevstackCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return DevstackCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void parsesUpOptions() {
        CommandLine cli = DevstackCli.commandLine(System.out, System.err);
        CommandLine.ParseResult result = cli.parseArgs("up", "--only", "postgres-order,kafka", "--skip-services",
                "--port-offset", "100", "--run-dir", "/tmp/x", "--no-zipkin", "--json-logs");
        DevstackCli.Up up = (DevstackCli.Up) result.subcommand().commandSpec().userObject();
        assertThat(up.only).containsExactly("postgres-order", "kafka");
        assertThat(up.skipServices).isTrue();
        assertThat(up.noZipkin).isTrue();
        assertThat(up.jsonLogs).isTrue();
        assertThat(up.options.portOffset).isEqualTo(100);
        assertThat(up.options.runDir).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void parsesLogsOptions() {
        CommandLine.ParseResult result = DevstackCli.commandLine(System.out, System.err)
                .parseArgs("logs", "kafka", "-f", "-n", "5");
        DevstackCli.Logs logs = (DevstackCli.Logs) result.subcommand().commandSpec().userObject();
        assertThat(logs.component).isEqualTo("kafka");
        assertThat(logs.follow).isTrue();
        assertThat(logs.lines).isEqualTo(5);
    }

    @Test
    void everySubcommandAnswersHelp() {
        for (String command : new String[] {"up", "down", "status", "kill", "stop", "restart", "logs", "fault"}) {
            out.reset();
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(command).contains("Usage: txlab " + command);
        }
    }

    @Test
    void missingComponentIsAUsageError() {
        assertThat(run("kill")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("<component>");
        err.reset();
        assertThat(run("stop")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("<component>");
    }

    @Test
    void statusWithoutAStackFails(@TempDir Path runDir) {
        assertThat(run("status", "--run-dir", runDir.toString(), "--repo", runDir.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stack is not running");
    }

    @Test
    void unknownComponentNamesTheKnownOnes(@TempDir Path runDir) {
        assertThat(run("restart", "postgres-nope", "--run-dir", runDir.toString(), "--repo", runDir.toString()))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown component 'postgres-nope'")
                .contains("postgres-payment");
        err.reset();
        assertThat(run("stop", "kafka", "postgres-nope", "--run-dir", runDir.toString(), "--repo", runDir.toString()))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown component 'postgres-nope'");
    }

    @Test
    void upWithMissingServiceJarsSaysHowToBuildThem(@TempDir Path repo) throws Exception {
        Files.createDirectories(repo.resolve("devstack"));
        int code = run("up", "--only", "payment-service", "--run-dir", repo.resolve("run").toString(),
                "--repo", repo.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("run ./mvnw -DskipTests package first")
                .contains("payment-service-0.1.0-SNAPSHOT-exec.jar");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("ready");
    }
}

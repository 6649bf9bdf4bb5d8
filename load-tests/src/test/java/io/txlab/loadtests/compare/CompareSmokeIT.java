package io.txlab.loadtests.compare;

import io.txlab.devstack.Topology;
import io.txlab.loadtests.report.ReportWriter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A compare of a few seconds per flow against a real stack of its own (port offset, own run dir): whatever flows
 * the build implements are measured, the others reported MISSING, and the report must exist and parse. Needs the
 * service jars from the reactor build; skipped with the reason when they are absent.
 */
class CompareSmokeIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    /** Under target/, not a JUnit temp folder: PostgreSQL runs as another user and must be able to traverse it. */
    private final Path dir = Path.of("target", "compare-smoke-" + ProcessHandle.current().pid()).toAbsolutePath();

    @Test
    void aVeryShortCompareProducesAReportThatParses() throws Exception {
        List<String> missing = List.of(Topology.ORDER_SERVICE, Topology.INVENTORY_SERVICE, Topology.PAYMENT_SERVICE,
                        Topology.SAGA_ORCHESTRATOR, Topology.TWOPC_COORDINATOR).stream()
                .map(s -> Topology.serviceJar(REPO, s)).filter(j -> !Files.isRegularFile(j)).map(Path::toString).toList();
        assumeTrue(missing.isEmpty(), "service jars missing (build the reactor with ./mvnw -DskipTests install): " + missing);

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        int code = CompareCommand.run(out, "--repo", REPO.toString(), "--report-dir", dir.resolve("report").toString(),
                "--run-dir", dir.resolve("run").toString(), "--port-offset", "310",
                "--warmup-seconds", "1", "--latency-seconds", "1", "--repetitions", "3", "--steps", "50", "--step-seconds", "1",
                "--no-chaos", "--settle-seconds", "5");
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(code).as(log).isZero();
        assertThat(dir.resolve("report/index.html")).exists();
        JsonNode json = ReportWriter.JSON.readTree(Files.readString(dir.resolve("report/results.json")));
        assertThat(json.path("flows")).hasSize(5);
        for (JsonNode flow : json.path("flows")) {
            assertThat(flow.path("status").asString()).as(flow.toString()).isIn("MEASURED", "MISSING", "FAILED");
            if (flow.path("status").asString().equals("MEASURED")) {
                assertThat(flow.path("latency").path("repetitions")).hasSize(3);
            }
        }
        assertThat(json.path("floor").path("status").asString()).isEqualTo("MEASURED");
        assertThat(json.path("finalAudit").path("checks").size()).isPositive();
        assertThat(log).contains("report: ");
    }
}

package io.txlab.loadtests.floor;

import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.report.ReportWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The five mechanism floors for a few seconds each against real PostgreSQL clusters, a real Kafka broker, real
 * Debezium engines and a real Temporal server of their own (port offset, own run dir, no services): every order placed
 * is timed, CONFIRMED in the order database, and charged to the components its mechanism runs on.
 */
class MechanismFloorIT {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** Under target/: PostgreSQL runs as another user and must be able to traverse it. */
    private static final Path DIR = Path.of("target", "mechanism-floor-" + ProcessHandle.current().pid()).toAbsolutePath();
    private static final List<String> STACK = List.of("--repo", REPO.toString(), "--run-dir", DIR.resolve("run").toString(),
            "--port-offset", "320");
    private static StackControl stack;

    @BeforeAll
    static void infrastructure() {
        stack = new StackControl(STACK, System.out);
        stack.up(List.of("--skip-services", "--no-zipkin"));
    }

    @AfterAll
    static void down() {
        stack.down();
    }

    @Test
    void everyMechanismConfirmsEveryOrderAndIsChargedToWhatItRunsOn() throws Exception {
        int code = MechanismFloor.run("--run-dir", DIR.resolve("run").toString(), "--port-offset", "320",
                "--rate", "10", "--warmup", "2s", "--window", "2s", "--out", DIR.resolve("out").toString(),
                "choreography", "outbox", "orchestration", "twopc");
        assertThat(code).isZero();

        JsonNode report = ReportWriter.JSON.readTree(Files.readString(DIR.resolve("out/mechanism-floor.json")));
        assertThat(report.path("flows")).extracting(f -> f.path("flow").asString())
                .containsExactly("choreography", "outbox", "orchestration", "twopc");
        // what carries the order between steps: the broker, the Temporal server, or (2PC, whose log alone is a few
        // 10 ms ticks in 2 s) the four clusters together
        Map<String, List<String>> engine = Map.of("choreography", List.of("kafka"), "outbox", List.of("kafka"),
                "orchestration", List.of("temporal"),
                "twopc", List.of("postgres-order", "postgres-inventory", "postgres-payment", "postgres-coordinator"));
        for (JsonNode flow : report.path("flows")) {
            String name = flow.path("flow").asString();
            assertThat(flow.path("orders").asLong()).as(flow.toString()).isEqualTo(20);
            assertThat(flow.path("failed").asLong()).as(flow.toString()).isZero();
            // warm-up and window: 40 orders placed, all of them confirmed in the database
            assertThat(flow.path("confirmedInDatabase").asLong()).as(flow.toString()).isEqualTo(40);
            JsonNode byComponent = flow.path("cpuMsPerOrderByComponent");
            assertThat(engine.get(name).stream().mapToDouble(c -> byComponent.path(c).asDouble()).sum())
                    .as(flow.toString()).isPositive();
            assertThat(byComponent.has(engine.get(name).get(0))).as(flow.toString()).isTrue();
            assertThat(byComponent.path("mechanism-jvm").asDouble()).as(flow.toString()).isPositive();
            assertThat(byComponent.has("order-service")).as("no service is counted: " + flow).isFalse();
            assertThat(flow.path("p50Ms").asDouble()).as(flow.toString()).isPositive();
        }
    }

    /**
     * The single transaction: 20 of them at 10/s are less than one 10 ms CPU tick of their cluster, so 200 here. Only
     * its cluster and the floor's JVM are counted, and the reruns it needed are reported.
     */
    @Test
    void theSingleTransactionIsChargedToItsOneClusterAndCountsItsReruns() throws Exception {
        int code = MechanismFloor.run("--run-dir", DIR.resolve("run").toString(), "--port-offset", "320",
                "--rate", "50", "--warmup", "2s", "--window", "4s", "--out", DIR.resolve("cockroach").toString(),
                "cockroach");
        assertThat(code).isZero();

        JsonNode cockroach = ReportWriter.JSON.readTree(Files.readString(DIR.resolve("cockroach/mechanism-floor.json")))
                .path("flows").path(0);
        assertThat(cockroach.path("flow").asString()).isEqualTo("cockroach");
        assertThat(cockroach.path("orders").asLong()).as(cockroach.toString()).isEqualTo(200);
        assertThat(cockroach.path("confirmedInDatabase").asLong()).as(cockroach.toString()).isEqualTo(300);
        JsonNode byComponent = cockroach.path("cpuMsPerOrderByComponent");
        assertThat(byComponent.propertyNames()).as(cockroach.toString())
                .containsExactlyInAnyOrder("postgres-cockroach", "mechanism-jvm");
        assertThat(byComponent.path("postgres-cockroach").asDouble()).as(cockroach.toString()).isPositive();
        assertThat(cockroach.path("serializationRetries").isIntegralNumber()).as(cockroach.toString()).isTrue();
    }

    @Test
    void aStackThatIsNotUpIsAnErrorThatSaysWhatToStart() {
        assertThat(MechanismFloor.run("--run-dir", DIR.resolve("no-such-run").toString(), "--port-offset", "320", "twopc"))
                .isEqualTo(1);
    }

    @Test
    void anUnknownFlowIsRefusedBeforeAnythingRuns() {
        assertThat(MechanismFloor.run("--run-dir", DIR.resolve("run").toString(), "--port-offset", "320", "sagas"))
                .isEqualTo(2);
        assertThat(MechanismFloor.duration("90s")).hasSeconds(90);
        assertThat(MechanismFloor.duration("2m")).hasMinutes(2);
        assertThat(MechanismFloor.duration("PT0.5S")).hasMillis(500);
    }
}

package io.txlab.loadtests.compare;

import io.txlab.devstack.Topology;
import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.report.ReportWriter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A compare of a few seconds per flow against a real stack of its own (port offset, own run dir): all five flows
 * measured, the shared chaos run kills order-service and
 * every flow recovers, a crash point halts the coordinator and the twopc orders still end final, and the report
 * must exist and parse. Needs the service jars from the reactor build (packaged before this module).
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
        assertThat(missing).as("service jars (the reactor packages them before this module; alone: ./mvnw -DskipTests install)")
                .isEmpty();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        List<String> stackArgs = List.of("--repo", REPO.toString(), "--run-dir", dir.resolve("run").toString(), "--port-offset", "310");
        StackControl stack = new StackControl(stackArgs, out);
        // behind the link proxy from the start: the network-distance sweep below finds it running and restarts nothing
        stack.up(List.of("--links"));
        try {
            int code = CompareCommand.run(out, concat(stackArgs, "--reuse-stack", "--report-dir", dir.resolve("report").toString(),
                    "--rate", "10", "--stack-warmup-seconds", "2", "--idle-seconds", "1", "--window-seconds", "2",
                    "--max-warmup-seconds", "4", "--repetitions", "3", "--repetition-seconds", "1", "--min-p99-samples", "5",
                    "--max-steps", "1", "--step-seconds", "1", "--ramp-seconds", "1", "--settle-seconds", "5",
                    "--tracing-pair", "--tracing-seconds", "1", "--chaos-seconds", "4", "--kill-at", "1", "--restart-after", "0",
                    "--infra-faults", "disk-full:postgres-payment,memory:payment-service", "--anomaly-bursts", "2"));
            String log = captured.toString(StandardCharsets.UTF_8);
            System.out.println(log); // the comparison's own progress, for whoever reads a failed build

            assertThat(code).as(log).isZero();
            assertThat(dir.resolve("report/index.html")).exists();
            JsonNode json = ReportWriter.JSON.readTree(Files.readString(dir.resolve("report/results.json")));
            assertThat(json.path("flows")).hasSize(5);
            for (JsonNode flow : json.path("flows")) {
                // all five flows are built: a flow not measured is a failure, not an acceptable outcome
                assertThat(flow.path("status").asString()).as(flow.toString()).isEqualTo("MEASURED");
                assertThat(flow.path("latency").path("repetitions")).hasSize(3);
                JsonNode windows = flow.path("steady").path("windows");
                assertThat(windows.size()).as(flow.toString()).isBetween(1, 2);
                JsonNode last = windows.get(windows.size() - 1);
                assertThat(last.path("cpuMsPerOrder").path(Topology.ORDER_SERVICE).asDouble()).as(last.toString()).isPositive();
                assertThat(last.path("cpuMsPerOrder").path("load-generator").asDouble()).as(last.toString()).isPositive();
                assertThat(last.path("machineBusyPercent").asDouble()).as(last.toString()).isBetween(0.0, 100.0);
                assertThat(flow.path("throughput").path("steps")).hasSize(1);
                JsonNode chaos = flow.path("chaos");
                assertThat(chaos.path("mode").asString()).isEqualTo("shared");
                assertThat(chaos.path("component").asString()).isEqualTo(Topology.ORDER_SERVICE);
                assertThat(chaos.path("killAtSeconds").isNumber()).as(chaos.toString()).isTrue();
                assertThat(chaos.path("stats").path("orders").asLong()).as(chaos.toString()).isPositive();
            }
            assertThat(json.path("floor").path("status").asString()).isEqualTo("MEASURED");
            JsonNode idleWindows = json.path("idle").path("windows");
            assertThat(idleWindows.size()).as("the idle stack is measured in at least two windows").isGreaterThanOrEqualTo(2);
            assertThat(idleWindows.get(idleWindows.size() - 1).path("stackPercentOfCore").asDouble()).as("the idle stack costs something")
                    .isPositive();
            assertThat(json.path("latency")).as("one run per lane (the floor and five flows) per repetition")
                    .hasSize(3 * 6);
            assertThat(json.path("finalAudit").path("checks").size()).isPositive();
            JsonNode anomalies = json.path("anomalies");
            assertThat(anomalies.path("runs")).as("five flows and the orchestration flow's semantic lock: " + anomalies)
                    .hasSize(6);
            assertThat(anomalies.hasNonNull("error")).as(anomalies.toString()).isFalse();
            for (JsonNode run : anomalies.path("runs")) {
                String flow = run.path("flow").asString();
                assertThat(run.path("placed").asInt()).as(run.toString()).isEqualTo(16);
                assertThat(run.path("notFinal").asInt()).as(run.toString()).isZero();
                assertThat(run.path("oversoldUnits").asInt() + run.path("overdrawnOrders").asInt()).as(run.toString()).isZero();
                assertThat(run.path("audit").path("status").asString()).as(run.toString()).isEqualTo("CLEAN");
                if (run.path("countermeasure").isString() && run.path("countermeasure").asString().equals("semantic lock")) {
                    // a hold under the lock reads PENDING, never RESERVED; a short order waits for the pending ones
                    // instead of being refused for a unit that comes back
                    assertThat(flow).isEqualTo("orchestration");
                    assertThat(run.path("pendingStockSeen").isNumber()).as(run.toString()).isTrue();
                    assertThat(run.path("dirtyStockSeen").asInt()).as(run.toString()).isZero();
                    assertThat(run.path("falseStockRejections").asInt()).as(run.toString()).isZero();
                }
                if (flow.equals("twopc") || flow.equals("cockroach")) {
                    // an aborted 2PC branch and a rolled-back transaction never commit a hold anyone could read
                    assertThat(run.path("stockHeldThenCancelled").asInt()).as(run.toString()).isZero();
                    assertThat(run.path("dirtyStockSeen").asInt()).as(run.toString()).isZero();
                    assertThat(run.path("falseStockRejections").asInt()).as(run.toString()).isZero();
                }
            }
            List<String> linked = new java.util.ArrayList<>();
            for (JsonNode flow : json.path("tracing").path("flows")) {
                for (JsonNode trace : flow.path("slowest")) {
                    if (trace.hasNonNull("file")) {
                        linked.add(trace.path("file").asString());
                        assertThat(dir.resolve("report").resolve(trace.path("file").asString())).exists();
                    }
                }
            }
            assertThat(linked).as("the stack runs Zipkin: the slowest traces are saved").isNotEmpty();
            try (java.util.stream.Stream<Path> saved = Files.list(dir.resolve("report/traces"))) {
                assertThat(saved.map(p -> "traces/" + p.getFileName())).as("only the linked traces are kept")
                        .containsExactlyInAnyOrderElementsOf(linked);
            }
            assertThat(log).contains("report: ", "shared chaos (order-service): killed order-service");
            // the full disk: payment's database moved onto a tmpfs, filled to its last byte, freed, moved back; every
            // flow's run analysed and audited clean, and nothing left mounted
            for (JsonNode flow : json.path("flows")) {
                JsonNode disk = flow.path("infra").get(0);
                assertThat(disk.path("mode").asString()).as(flow.path("flow").asString()).isEqualTo("disk-full");
                assertThat(disk.hasNonNull("error")).as(disk.toString()).isFalse();
                assertThat(disk.path("audit").path("status").asString()).as(disk.path("audit").toString()).isEqualTo("CLEAN");
            }
            assertThat(log).contains("disk full (postgres-payment): filled (", " 0 bytes left)",
                    "disk full (postgres-payment): freed the disk of postgres-payment");
            assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain("disk-full-postgres-payment");
            // memory pressure: payment-service restarted with the chaos profile holds its heap, releases it, every
            // flow's run audited clean
            for (JsonNode flow : json.path("flows")) {
                JsonNode memory = flow.path("infra").get(1);
                assertThat(memory.path("mode").asString()).as(flow.path("flow").asString()).isEqualTo("memory");
                assertThat(memory.hasNonNull("error")).as(memory.toString()).isFalse();
                assertThat(memory.path("audit").path("status").asString()).as(memory.path("audit").toString()).isEqualTo("CLEAN");
            }
            assertThat(log).contains("memory pressure (payment-service, 16 MiB free): payment-service holds ",
                    "memory pressure (payment-service, 16 MiB free): released the heap of payment-service");

            captured.reset();
            code = CompareCommand.run(out, concat(stackArgs, "--reuse-stack", "--report-dir", dir.resolve("crash").toString(),
                    "--flows", "twopc", "--rate", "10", "--stack-warmup-seconds", "0", "--idle-seconds", "1",
                    "--window-seconds", "2", "--max-warmup-seconds", "2", "--repetitions", "1", "--repetition-seconds", "1",
                    "--min-p99-samples", "5", "--no-throughput", "--no-chaos", "--crash-points", "--crash-seconds", "4",
                    "--restart-after", "0", "--settle-seconds", "5", "--rtt-sweep", "0,20", "--rtt-rate", "5",
                    "--rtt-seconds", "3", "--rtt-in-flight", "8", "--twopc-bench", "quick", "--anomaly-bursts", "0",
                    "--mechanism-floors", "--mechanism-floor-seconds", "2"));
            log = captured.toString(StandardCharsets.UTF_8);
            System.out.println(log);

            assertThat(code).as(log).isZero();
            JsonNode crash = ReportWriter.JSON.readTree(Files.readString(dir.resolve("crash/results.json")))
                    .path("flows").get(0).path("crash");
            assertThat(crash.path("crashPoint").asString()).isEqualTo("twopc.after-decision-logged");
            assertThat(crash.path("killAtSeconds").isNumber()).as("the coordinator halted itself: " + log).isTrue();
            assertThat(crash.path("allFinalAfterRestartSeconds").isNumber()).as(crash.toString()).isTrue();
            assertThat(crash.path("notFinalAtDeadline").asLong()).isZero();
            assertThat(crash.path("audit").path("status").asString()).as(crash.path("audit").toString()).isEqualTo("CLEAN");
            assertThat(log).contains("twopc-coordinator halted itself at twopc.after-decision-logged");

            // the network-distance sweep: twopc waits for several round trips in sequence (prepare and commit per
            // participant, each participant's statements), so 20 ms more per round trip adds well over 40 ms to its p50
            JsonNode network = ReportWriter.JSON.readTree(Files.readString(dir.resolve("crash/results.json"))).path("network");
            assertThat(network.hasNonNull("error")).as(network.toString()).isFalse();
            assertThat(network.path("runs")).as(network.toString()).hasSize(2);
            double near = network.path("runs").get(0).path("stats").path("latencyMs").path("p50").asDouble();
            double far = network.path("runs").get(1).path("stats").path("latencyMs").path("p50").asDouble();
            assertThat(network.path("runs").get(1).path("rttMs").asInt()).isEqualTo(20);
            assertThat(far - near).as("twopc p50 at +0 ms %s, at +20 ms %s", near, far).isGreaterThan(40);
            assertThat(log).contains("network distance: twopc at +20 ms", "network distance: twopc at +20 ms with 8 in flight");
            assertThat(Files.readString(dir.resolve("crash/index.html"))).contains("Network distance",
                    "p50 latency against the round trip added to every link", "orders/s completed with 8 in flight");
            // ... and with 8 orders in flight at each distance: what completes per second times how long each took is
            // how many were in flight (Little's law), so the closed loop kept its 8 in flight and nothing more
            for (JsonNode run : network.path("runs")) {
                JsonNode loaded = run.path("inFlight");
                double perSecond = loaded.path("finalPerSecond").asDouble();
                double meanMs = loaded.path("meanMs").asDouble();
                assertThat(perSecond).as(loaded.toString()).isGreaterThan(0);
                assertThat(loaded.path("unfinished").asLong() + loaded.path("errors").asLong()).as(loaded.toString()).isZero();
                assertThat(perSecond * meanMs / 1000).as("orders in flight by Little's law: " + loaded).isBetween(4.0, 10.0);
            }

            // the 2PC tax: ./txlab twopc-bench --quick as a process of its own, its JSON read into the results; 2PC over
            // 5 participants does at least five prepares and five commits where the local transaction does one commit
            JsonNode tax = ReportWriter.JSON.readTree(Files.readString(dir.resolve("crash/results.json"))).path("twopcTax");
            assertThat(tax.hasNonNull("error")).as(tax + "\n" + log).isFalse();
            assertThat(tax.path("runs")).as(tax.toString()).hasSize(12);
            assertThat(tax.path("crash")).as(tax.toString()).hasSize(2);
            for (JsonNode run : tax.path("runs")) {
                if (run.path("participants").asInt() == 5) {
                    assertThat(run.path("taxP50").asDouble()).as(run.toString()).isGreaterThan(2);
                }
            }
            assertThat(dir.resolve("crash/twopc-bench/twopc-bench.log")).content().contains("2pc-5");
            assertThat(log).contains("2PC tax: local  c=1");
            assertThat(Files.readString(dir.resolve("crash/index.html"))).contains("The 2PC tax",
                    "rows locked (competing UPDATE blocked) ms");

            // twopc's mechanism alone: ./txlab mechanism-floor twopc as a process of its own on this stack (its port
            // offset and run folder), every order it placed confirmed, its CPU charged to the clusters and its JVM
            JsonNode floors = ReportWriter.JSON.readTree(Files.readString(dir.resolve("crash/results.json")))
                    .path("mechanismFloors").path("runs");
            assertThat(floors).as(floors.toString()).hasSize(1);
            JsonNode floor = floors.get(0);
            assertThat(floor.path("flow").asString()).isEqualTo("twopc");
            assertThat(floor.hasNonNull("error")).as(floor + "\n" + log).isFalse();
            assertThat(floor.path("orders").asLong()).as(floor.toString()).isGreaterThanOrEqualTo(15);
            // the coordinator's log alone is a 10 ms CPU tick or less in 2 s at 10/s, so it is checked as counted, and
            // the four clusters together as charged (as MechanismFloorIT does)
            JsonNode byComponent = floor.path("cpuMsPerOrderByComponent");
            assertThat(byComponent.has("postgres-coordinator")).as(floor.toString()).isTrue();
            assertThat(Stream.of("postgres-order", "postgres-inventory", "postgres-payment", "postgres-coordinator")
                    .mapToDouble(c -> byComponent.path(c).asDouble()).sum()).as(floor.toString()).isGreaterThan(0);
            assertThat(byComponent.path("mechanism-jvm").asDouble()).as(floor.toString()).isGreaterThan(0);
            assertThat(floor.path("command").asString()).contains("--port-offset 310");
            assertThat(dir.resolve("crash/mechanism-floor/twopc/mechanism-floor.log")).content()
                    .contains("twopc: loaded window 2 s");
            assertThat(Files.readString(dir.resolve("crash/index.html"))).contains("Each mechanism alone: its floor on this machine");
        } finally {
            stack.down();
        }
    }

    private static String[] concat(List<String> first, String... rest) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }
}

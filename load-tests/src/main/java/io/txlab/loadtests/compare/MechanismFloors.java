package io.txlab.loadtests.compare;

import io.txlab.devstack.ComponentKind;
import io.txlab.devstack.ComponentSpec;
import io.txlab.devstack.Topology;
import io.txlab.devstack.stack.StackState;
import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.floor.MechanismFloor;
import io.txlab.loadtests.report.Results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Each flow's mechanism alone in the comparison (ADR 47, ADR 55, ADR 57): {@code ./txlab mechanism-floor <flow>} on the
 * comparison's own stack, at its end, once per measured flow that has a floor. The services are stopped first: a
 * floor is the least the pattern needs, and with them up, even idle, it cost more, net of idle (ADR 55). They are
 * started again afterwards when the stack outlives the comparison. Each floor runs as a process of its own, started
 * like the command by hand (C1, SerialGC, 256 MB, like the services), so it is counted like a service and not like
 * the load generator; one flow's failure leaves the others measured.
 */
public final class MechanismFloors {

    /** The folder under the report folder it writes to (a subfolder per flow). */
    public static final String OUTPUT = "mechanism-floor";
    static final String JSON = "mechanism-floor.json";
    static final String LOG = "mechanism-floor.log";

    private final Path repo;
    private final Path reportDir;
    private final Path runDir;
    private final Topology topology;
    private final StackControl stack;
    private final boolean restartServices;
    private final Consumer<String> progress;

    /** @param restartServices start the services again after the floors (the stack outlives the comparison) */
    public MechanismFloors(Path repo, Path reportDir, Path runDir, Topology topology, StackControl stack,
                           boolean restartServices, Consumer<String> progress) {
        this.repo = repo;
        this.reportDir = reportDir;
        this.runDir = runDir;
        this.topology = topology;
        this.stack = stack;
        this.restartServices = restartServices;
        this.progress = progress;
    }

    /** The flows among {@code measured} that have a mechanism floor, in the comparison's order. */
    static List<String> withFloor(List<String> measured) {
        return measured.stream().filter(MechanismFloor.FLOWS::contains).toList();
    }

    /**
     * Runs the floor of each flow in {@code measured} that has one, at {@code rate}: {@code seconds} at the rate
     * discarded, then an idle window and a window at the rate of {@code seconds} each (the comparison's 60: long enough
     * for the fresh JVM's C1 code and its clients' pools, and 1200 orders at 20/s for a p99). Never throws.
     */
    public Results.MechanismFloors run(List<String> measured, double rate, int seconds) {
        List<String> flows = withFloor(measured);
        List<String> services = runningServices();
        List<Results.MechanismFloorRun> runs = new ArrayList<>();
        try {
            if (!services.isEmpty()) {
                progress.accept("mechanism floors: stopping " + String.join(", ", services)
                        + " (a floor runs with nothing but what its mechanism needs)");
                stack.stop(services);
            }
            for (String flow : flows) {
                runs.add(runOne(flow, rate, seconds));
            }
        } catch (RuntimeException e) {
            for (String flow : flows) {
                if (runs.stream().noneMatch(r -> r.flow().equals(flow))) {
                    runs.add(Results.MechanismFloorRun.failed(flow, "./txlab mechanism-floor " + flow,
                            "the services could not be stopped: " + e.getMessage()));
                }
            }
        } finally {
            if (restartServices) {
                for (String service : services) {
                    progress.accept("mechanism floors: starting " + service + " again");
                    try {
                        stack.restart(service);
                    } catch (RuntimeException e) {
                        progress.accept("mechanism floors: " + service + " did not start again: " + e.getMessage());
                    }
                }
            }
        }
        return new Results.MechanismFloors(OUTPUT, seconds, seconds, services, runs);
    }

    /** The services the stack runs now (stack.json), in the topology's order. */
    private List<String> runningServices() {
        List<String> running = StackState.read(runDir.resolve("stack.json")).map(StackState::running).orElse(List.of());
        return topology.components().stream().filter(c -> c.kind() == ComponentKind.SERVICE).map(ComponentSpec::name)
                .filter(running::contains).toList();
    }

    private Results.MechanismFloorRun runOne(String flow, double rate, int seconds) {
        Path out = reportDir.resolve(OUTPUT).resolve(flow);
        String rel = OUTPUT + "/" + flow;
        List<String> options = List.of(flow, "--rate", Comparison.fmt(rate), "--warmup", seconds + "s",
                "--window", seconds + "s", "--port-offset", Integer.toString(topology.portOffset()));
        String shown = "./txlab mechanism-floor " + String.join(" ", options);
        List<String> command = new ArrayList<>(List.of(repo.resolve("txlab").toString(), "mechanism-floor"));
        command.addAll(options);
        command.addAll(List.of("--run-dir", runDir.toString(), "--out", out.toString()));
        progress.accept("mechanism floor: " + shown + " (log: " + rel + "/" + LOG + ")");
        try {
            Files.createDirectories(out);
            Files.deleteIfExists(out.resolve(JSON));
            // a window at the rate, an idle one, the warm-up, the database setup and the JVM: 10 minutes is ample
            int exit = ToolProcess.run(repo, command, out.resolve(LOG), 10 + 3L * seconds / 60,
                    line -> {
                        if (line.startsWith(flow + ":") || line.startsWith("mechanism-floor:")) {
                            progress.accept("mechanism floor: " + line.strip());
                        }
                    });
            if (exit != 0) {
                return Results.MechanismFloorRun.failed(flow, shown, "./txlab mechanism-floor exited with " + exit
                        + " (its output: " + rel + "/" + LOG + ")");
            }
            return read(out.resolve(JSON), flow, shown);
        } catch (IOException e) {
            return Results.MechanismFloorRun.failed(flow, shown, "could not run ./txlab mechanism-floor: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Results.MechanismFloorRun.failed(flow, shown, "interrupted");
        }
    }

    /** Reads {@code flow}'s entry of a {@code mechanism-floor.json}; a missing or unreadable one is the run's error. */
    static Results.MechanismFloorRun read(Path json, String flow, String command) {
        try {
            JsonNode root = ToolProcess.JSON.readTree(json.toFile());
            for (JsonNode n : root.path("flows")) {
                if (n.path("flow").asString("").equals(flow)) {
                    return ToolProcess.JSON.treeToValue(n, Results.MechanismFloorRun.class).ranAs(flow, command);
                }
            }
            return Results.MechanismFloorRun.failed(flow, command, json.getFileName() + " has no run of " + flow);
        } catch (RuntimeException e) {
            return Results.MechanismFloorRun.failed(flow, command, "could not read " + json.getFileName() + ": "
                    + e.getMessage());
        }
    }
}

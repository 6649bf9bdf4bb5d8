package io.txlab.loadtests.compare;

import io.txlab.loadtests.report.Results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The 2PC tax in the comparison (issue 17, part 2): runs {@code ./txlab twopc-bench} ({@link
 * io.txlab.loadtests.twopc.TwopcBenchmark}) as a process of its own, so its clients are compiled and collected like the
 * benchmark run by hand and not like the load generator, and reads its {@code twopc-bench.json} into the results.
 * It starts and stops PostgreSQL clusters of its own; the stack idles meanwhile.
 */
public final class TwopcTax {

    public static final String OFF = "off";
    public static final String QUICK = "quick";
    public static final String FULL = "full";
    public static final List<String> MODES = List.of(FULL, QUICK, OFF);
    /** The folder under the report folder it writes to. */
    public static final String OUTPUT = "twopc-bench";
    public static final String JSON = "twopc-bench.json";
    public static final String LOG = "twopc-bench.log";

    private final Path repo;
    private final Path reportDir;
    private final Consumer<String> progress;

    public TwopcTax(Path repo, Path reportDir, Consumer<String> progress) {
        this.repo = repo;
        this.reportDir = reportDir;
        this.progress = progress;
    }

    /** Runs the benchmark in the given mode ({@link #FULL} or {@link #QUICK}); never throws, a failure is in the result. */
    public Results.TwopcTax run(String mode, long timeoutMinutes) {
        Path out = reportDir.resolve(OUTPUT);
        // its clusters go where they go by hand (its --run-dir default, relative to the repository it runs in)
        List<String> command = new ArrayList<>(List.of(repo.resolve("txlab").toString(), "twopc-bench",
                "--out", out.toString()));
        if (mode.equals(QUICK)) {
            command.add("--quick");
        }
        String shown = "./txlab twopc-bench" + (mode.equals(QUICK) ? " --quick" : "");
        progress.accept("2PC tax: " + shown + " (PostgreSQL clusters of its own; the stack idles meanwhile; log: "
                + OUTPUT + "/" + LOG + ")");
        try {
            Files.createDirectories(out);
            Files.deleteIfExists(out.resolve(JSON));
            boolean[] table = {false};
            int exit = ToolProcess.run(repo, command, out.resolve(LOG), timeoutMinutes, line -> {
                // the measurement lines as they come; the markdown tables it prints at its end are in the report
                table[0] |= line.startsWith("# ");
                if (!table[0] && !line.isBlank()) {
                    progress.accept("2PC tax: " + line.strip());
                }
            });
            if (exit != 0) {
                return Results.TwopcTax.failed(shown, OUTPUT, "./txlab twopc-bench exited with " + exit
                        + " (its output: " + OUTPUT + "/" + LOG + ")");
            }
            return read(out.resolve(JSON), OUTPUT);
        } catch (IOException e) {
            return Results.TwopcTax.failed(shown, OUTPUT, "could not run ./txlab twopc-bench: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Results.TwopcTax.failed(shown, OUTPUT, "interrupted");
        }
    }

    /** Reads a {@code twopc-bench.json}; {@code output} is its folder relative to the report folder. */
    static Results.TwopcTax read(Path json, String output) {
        try {
            JsonNode root = ToolProcess.JSON.readTree(json.toFile());
            JsonNode settings = root.path("settings");
            List<Results.TaxRun> runs = new ArrayList<>();
            for (JsonNode n : root.path("runs")) {
                runs.add(ToolProcess.JSON.treeToValue(n, Results.TaxRun.class));
            }
            List<Results.TaxCrash> crash = new ArrayList<>();
            for (JsonNode n : root.path("crash")) {
                crash.add(ToolProcess.JSON.treeToValue(n, Results.TaxCrash.class));
            }
            if (runs.isEmpty()) {
                return Results.TwopcTax.failed(root.path("command").asString("./txlab twopc-bench"), output,
                        json.getFileName() + " has no runs");
            }
            return new Results.TwopcTax(root.path("command").asString(), output, settings.path("warmupMs").asLong(),
                    settings.path("durationMs").asLong(), runs, crash, null);
        } catch (RuntimeException e) {
            return Results.TwopcTax.failed("./txlab twopc-bench", output, "could not read " + json.getFileName() + ": "
                    + e.getMessage());
        }
    }
}

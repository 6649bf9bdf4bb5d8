package io.txlab.loadtests.compare;

import io.gatling.app.Gatling$;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.SampleFile;
import io.txlab.loadtests.simulations.OrderSimulation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs {@link OrderSimulation} inside this JVM through Gatling's own launcher ({@code Gatling.fromArgs}, what
 * {@code io.gatling.app.Gatling.main} calls before {@code System.exit}). In-process because a child JVM per run
 * would cost seconds of startup and JIT warm-up on a 2-core machine, dozens of times per comparison; Gatling
 * loads its configuration and builds a fresh actor system for every call, so runs do not leak into each other.
 * Runs are strictly sequential: the simulation reads its settings from system properties.
 */
public final class GatlingRunner {

    /** Gatling's exit code (0 = success, 2 = assertions failed), its HTML report folder, and the recorded samples. */
    public record Run(LoadSettings settings, int exitCode, Optional<Path> htmlReport, List<OrderSample> samples,
                      long startedEpochMs, long endedEpochMs) {

        public boolean assertionsPassed() {
            return exitCode == 0;
        }
    }

    private final Path resultsFolder;

    public GatlingRunner(Path resultsFolder) {
        this.resultsFolder = resultsFolder;
    }

    public synchronized Run run(LoadSettings settings, boolean htmlReport) {
        Map<Object, Object> previous = Map.copyOf(System.getProperties());
        settings.toProperties().forEach(System.getProperties()::put);
        long started = System.currentTimeMillis();
        int code;
        try {
            Files.createDirectories(resultsFolder);
            List<String> args = new java.util.ArrayList<>(List.of(
                    "-s", OrderSimulation.class.getName(),
                    "-rf", resultsFolder.toAbsolutePath().toString(),
                    "-rd", settings.runId()));
            if (!htmlReport) {
                args.add("-nr");
            }
            Path before = newestRunFolder().orElse(null);
            // Gatling prints its end-of-run tables with println; they go to a log beside the results, not the terminal
            PrintStream console = System.out;
            try (PrintStream log = new PrintStream(Files.newOutputStream(resultsFolder.resolve("gatling-console.log"),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
                System.setOut(log);
                code = Gatling$.MODULE$.fromArgs(args.toArray(String[]::new));
            } finally {
                System.setOut(console);
            }
            long ended = System.currentTimeMillis();
            Optional<Path> report = newestRunFolder().filter(p -> !p.equals(before))
                    .filter(p -> Files.exists(p.resolve("index.html")));
            return new Run(settings, code, report, SampleFile.read(settings.recordFile()), started, ended);
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare " + resultsFolder, e);
        } finally {
            settings.toProperties().stringPropertyNames().forEach(key -> {
                if (previous.containsKey(key)) {
                    System.setProperty(key, String.valueOf(previous.get(key)));
                } else {
                    System.clearProperty(key);
                }
            });
        }
    }

    private Optional<Path> newestRunFolder() {
        if (!Files.isDirectory(resultsFolder)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(resultsFolder)) {
            return children.filter(Files::isDirectory)
                    .max(Comparator.comparing(p -> p.toFile().lastModified()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

package io.txlab.loadtests.compare;

import io.gatling.app.Gatling$;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.SampleFile;
import io.txlab.loadtests.simulations.ArrivalSchedule;
import io.txlab.loadtests.simulations.OrderSimulation;
import io.txlab.loadtests.simulations.RunControl;

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
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs {@link OrderSimulation} inside this JVM through Gatling's own launcher ({@code Gatling.fromArgs}, what
 * {@code io.gatling.app.Gatling.main} calls before {@code System.exit}). In-process because a child JVM per run
 * would cost seconds of startup and JIT warm-up on a 2-core machine, dozens of times per comparison; Gatling
 * loads its configuration and builds a fresh actor system for every call, so runs do not leak into each other.
 * Runs are strictly sequential: the simulation reads its settings from system properties.
 *
 * <p>Every order's latency is then timed from its scheduled arrival ({@link ArrivalSchedule}), and the sample file is
 * rewritten with it. An observer may run beside the run (CPU readings in windows, an early stop, see
 * {@link RunControl}).
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

    public Run run(LoadSettings settings, boolean htmlReport) {
        return run(settings, htmlReport, control -> { });
    }

    /**
     * @param observer runs on its own thread while the run goes on, with the run's control (it should return soon
     *                 after the run ends: it is interrupted then)
     */
    public synchronized Run run(LoadSettings settings, boolean htmlReport, Consumer<RunControl> observer) {
        Map<Object, Object> previous = Map.copyOf(System.getProperties());
        RunControl control = RunControl.begin();
        Thread watcher = new Thread(() -> observer.accept(control), "compare-run-observer");
        watcher.setDaemon(true);
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
            watcher.start();
            try (PrintStream log = new PrintStream(Files.newOutputStream(resultsFolder.resolve("gatling-console.log"),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, StandardCharsets.UTF_8)) {
                System.setOut(log);
                code = Gatling$.MODULE$.fromArgs(args.toArray(String[]::new));
            } finally {
                System.setOut(console);
                watcher.interrupt();
                joinQuietly(watcher);
            }
            long ended = System.currentTimeMillis();
            Optional<Path> report = newestRunFolder().filter(p -> !p.equals(before))
                    .filter(p -> Files.exists(p.resolve("index.html")));
            List<OrderSample> timed = ArrivalSchedule.of(settings.injection()).timeFromSchedule(SampleFile.read(settings.recordFile()));
            SampleFile.write(settings.recordFile(), timed);
            return new Run(settings, code, report, timed, started, ended);
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

    private static void joinQuietly(Thread t) {
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

package io.txlab.loadtests.compare;

import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;
import io.txlab.loadtests.report.Results;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Percentiles from HdrHistogram (microsecond resolution, 3 significant digits) and spread across repetitions. */
public final class Stats {

    private static final long MAX_MICROS = 3_600_000_000L;

    private Stats() {
    }

    /** Latency of every order that reached a final state; unfinished and failed orders are counted, not timed. */
    public static Histogram histogram(List<OrderSample> samples) {
        Histogram h = new Histogram(MAX_MICROS, 3);
        for (OrderSample s : samples) {
            if (s.outcome().isFinal()) {
                h.recordValue(Math.max(1, Math.min(MAX_MICROS, s.latencyMicros())));
            }
        }
        return h;
    }

    public static Results.Percentiles percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Results.Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Results.Percentiles(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)));
    }

    public static Results.RunStats runStats(String runId, double rate, double durationSeconds, List<OrderSample> samples,
                                            boolean assertionsPassed, String gatlingReport, String samplesFile,
                                            Path histogramFile) {
        Histogram h = histogram(samples);
        if (histogramFile != null) {
            writeDistribution(h, histogramFile);
        }
        long confirmed = count(samples, Outcome.CONFIRMED);
        long cancelled = count(samples, Outcome.CANCELLED);
        return new Results.RunStats(runId, rate, durationSeconds, samples.size(), confirmed, cancelled,
                count(samples, Outcome.UNFINISHED), count(samples, Outcome.ERROR) + count(samples, Outcome.NOT_IMPLEMENTED),
                durationSeconds > 0 ? (confirmed + cancelled) / durationSeconds : 0, percentiles(h),
                h.getTotalCount() == 0 ? Double.NaN : ms(h.getMaxValue()),
                h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0, assertionsPassed, gatlingReport,
                samplesFile, histogramFile == null ? null : histogramFile.toString());
    }

    /** Share of orders that failed or did not finish, in percent. */
    public static double badPercent(Results.RunStats s) {
        return s.orders() == 0 ? 100.0 : 100.0 * (s.unfinished() + s.errors()) / s.orders();
    }

    public static Results.Latency latency(double rate, double seconds, List<Results.RunStats> reps) {
        return new Results.Latency(rate, seconds, reps,
                new Results.Percentiles(median(reps, r -> r.latencyMs().p50()), median(reps, r -> r.latencyMs().p95()),
                        median(reps, r -> r.latencyMs().p99()), median(reps, r -> r.latencyMs().p999())),
                new Results.Percentiles(cv(reps, r -> r.latencyMs().p50()), cv(reps, r -> r.latencyMs().p95()),
                        cv(reps, r -> r.latencyMs().p99()), cv(reps, r -> r.latencyMs().p999())));
    }

    public static double median(List<Results.RunStats> reps, ToDoubleFunction<Results.RunStats> f) {
        double[] v = reps.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Sample standard deviation over mean; NaN with fewer than two values. */
    public static double cv(List<Results.RunStats> reps, ToDoubleFunction<Results.RunStats> f) {
        double[] v = reps.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray();
        if (v.length < 2) {
            return Double.NaN;
        }
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double var = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1);
        return mean == 0 ? Double.NaN : Math.sqrt(var) / mean;
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }

    private static long count(List<OrderSample> samples, Outcome outcome) {
        return samples.stream().filter(s -> s.outcome() == outcome).count();
    }

    private static void writeDistribution(Histogram h, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (PrintStream out = new PrintStream(Files.newOutputStream(file))) {
                out.println("# latency of final orders, HdrHistogram percentile distribution, values in ms");
                if (h.getTotalCount() > 0) {
                    h.outputPercentileDistribution(out, 1000.0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}

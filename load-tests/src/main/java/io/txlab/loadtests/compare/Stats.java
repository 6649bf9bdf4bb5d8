package io.txlab.loadtests.compare;

import io.txlab.loadtests.measure.ResourceMeter;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.report.Targets;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

    /** Every percentile the histogram holds, however few samples (for single runs, whose sample count is shown). */
    public static Results.Percentiles percentiles(Histogram h) {
        return percentiles(h, 0);
    }

    /**
     * p50 and p95 from any sample; p99 only from {@code minP99Samples} final orders and p99.9 only from
     * {@link Targets#MIN_P999_SAMPLES}: below that the "percentile" is one of the few slowest orders, not a tail.
     */
    public static Results.Percentiles percentiles(Histogram h, int minP99Samples) {
        long n = h.getTotalCount();
        if (n == 0) {
            return new Results.Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Results.Percentiles(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                n >= minP99Samples ? ms(h.getValueAtPercentile(99)) : Double.NaN,
                n >= Math.max(minP99Samples, Targets.MIN_P999_SAMPLES) ? ms(h.getValueAtPercentile(99.9)) : Double.NaN);
    }

    public static Results.RunStats runStats(String runId, double rate, double durationSeconds, List<OrderSample> samples,
                                            Results.Resources resources, String gatlingReport, String samplesFile,
                                            Path histogramFile) {
        Histogram h = histogram(samples);
        if (histogramFile != null) {
            writeDistribution(h, histogramFile);
        }
        long confirmed = count(samples, Outcome.CONFIRMED);
        long cancelled = count(samples, Outcome.CANCELLED);
        Histogram lag = new Histogram(MAX_MICROS, 3);
        samples.forEach(s -> lag.recordValue(Math.max(0, Math.min(MAX_MICROS, s.lagMicros()))));
        return new Results.RunStats(runId, rate, durationSeconds, samples.size(), h.getTotalCount(), confirmed, cancelled,
                count(samples, Outcome.UNFINISHED), count(samples, Outcome.ERROR) + count(samples, Outcome.NOT_IMPLEMENTED),
                durationSeconds > 0 ? (confirmed + cancelled) / durationSeconds : 0, percentiles(h),
                h.getTotalCount() == 0 ? Double.NaN : ms(h.getMaxValue()),
                h.getTotalCount() == 0 ? Double.NaN : h.getMean() / 1000.0,
                lag.getTotalCount() == 0 ? Double.NaN : ms(lag.getValueAtPercentile(99)), resources, gatlingReport,
                samplesFile, histogramFile == null ? null : histogramFile.toString());
    }

    /** Share of orders that failed or did not finish, in percent. */
    public static double badPercent(Results.RunStats s) {
        return s.orders() == 0 ? 100.0 : 100.0 * (s.unfinished() + s.errors()) / s.orders();
    }

    /** A lane's latency from its runs of the latency repetitions: pooled percentiles, and the spread between reps. */
    public static Results.Latency latency(double rate, List<String> lanes, List<Results.RunStats> reps,
                                          List<OrderSample> pooled, int minP99Samples, double machineBusy,
                                          Path histogramFile) {
        Histogram h = histogram(pooled);
        if (histogramFile != null) {
            writeDistribution(h, histogramFile);
        }
        Results.Percentiles p = percentiles(h, minP99Samples);
        boolean saturated = machineBusy > Targets.SATURATED_BUSY_PERCENT;
        String note = h.getTotalCount() < minP99Samples
                ? String.format(Locale.ROOT, "p99 not reported: %d final orders, fewer than %d", h.getTotalCount(), minP99Samples)
                : h.getTotalCount() < Targets.MIN_P999_SAMPLES
                ? String.format(Locale.ROOT, "p99.9 not reported: %d final orders, fewer than %d", h.getTotalCount(), Targets.MIN_P999_SAMPLES)
                : null;
        return new Results.Latency(rate, lanes, reps, p, h.getTotalCount(),
                pooled.stream().filter(s -> s.outcome() == Outcome.UNFINISHED).count(),
                pooled.stream().filter(s -> s.outcome() == Outcome.ERROR || s.outcome() == Outcome.NOT_IMPLEMENTED).count(),
                new Results.Percentiles(cv(reps, r -> r.latencyMs().p50()), cv(reps, r -> r.latencyMs().p95()),
                        cv(reps, r -> r.latencyMs().p99()), cv(reps, r -> r.latencyMs().p999())),
                machineBusy, saturated, note, serverP50Ms(pooled),
                ResourceMeter.pooled(reps.stream().map(Results.RunStats::resources).toList(), Targets.SATURATED_BUSY_PERCENT));
    }

    /**
     * The p50 of the server's own view of the same orders, {@code completedAt − createdAt} of each final order: an
     * independent check of the client's timing (which adds the HTTP calls and the long-poll's wake-up on top).
     * Null when fewer than half of the final orders carry both timestamps (the floor has none).
     */
    static Double serverP50Ms(List<OrderSample> samples) {
        List<OrderSample> finals = samples.stream().filter(s -> s.outcome().isFinal()).toList();
        double[] ms = finals.stream().map(Stats::serverMillis).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).sorted().toArray();
        if (finals.isEmpty() || ms.length * 2 < finals.size()) {
            return null;
        }
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    private static Double serverMillis(OrderSample s) {
        if (s.createdAt() == null || s.createdAt().isBlank() || s.completedAt() == null || s.completedAt().isBlank()) {
            return null;
        }
        try {
            return java.time.Duration.between(java.time.OffsetDateTime.parse(s.createdAt()),
                    java.time.OffsetDateTime.parse(s.completedAt())).toNanos() / 1e6;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    public static double median(double... values) {
        double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
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

    /** The middle value (the lower of the two middle ones for an even count); null for none. */
    static Double lowerMedian(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? null : sorted.get((sorted.size() - 1) / 2);
    }

    /** The largest value; null for none. */
    static Double max(List<Double> values) {
        return values.stream().max(Double::compare).orElse(null);
    }
}

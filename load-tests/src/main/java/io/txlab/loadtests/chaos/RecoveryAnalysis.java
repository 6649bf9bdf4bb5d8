package io.txlab.loadtests.chaos;

import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.report.Results;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a chaos run into numbers: a per-second timeline (orders started, orders that failed or did not finish,
 * p99 of the rest) and the time after the kill from which the rolling p99 stays under the SLO with no failures.
 */
public final class RecoveryAnalysis {

    /** Width of the rolling window, in one-second buckets. */
    static final int WINDOW = 2;

    private RecoveryAnalysis() {
    }

    public static List<Results.TimelinePoint> timeline(List<OrderSample> samples, long t0EpochMs) {
        if (samples.isEmpty()) {
            return List.of();
        }
        int buckets = (int) ((samples.stream().mapToLong(OrderSample::startEpochMs).max().orElse(t0EpochMs) - t0EpochMs) / 1000) + 1;
        List<Histogram> hist = new ArrayList<>();
        long[] started = new long[buckets];
        long[] bad = new long[buckets];
        for (int i = 0; i < buckets; i++) {
            hist.add(new Histogram(3_600_000_000L, 2));
        }
        for (OrderSample s : samples) {
            int b = (int) Math.max(0, (s.startEpochMs() - t0EpochMs) / 1000);
            started[b]++;
            if (s.outcome().isFinal()) {
                hist.get(b).recordValue(Math.max(1, s.latencyMicros()));
            } else {
                bad[b]++;
            }
        }
        List<Results.TimelinePoint> points = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            Histogram h = hist.get(i);
            points.add(new Results.TimelinePoint(i, started[i], bad[i],
                    h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99) / 1000.0));
        }
        return points;
    }

    /**
     * Seconds from the kill until the first rolling window from which every window has a p99 under the SLO and no
     * failed or unfinished order; null if that never happened before the run ended.
     */
    public static Double p99BackUnderSlo(List<OrderSample> samples, long t0EpochMs, long killEpochMs, double sloMs) {
        List<Results.TimelinePoint> points = timeline(samples, t0EpochMs);
        double killT = (killEpochMs - t0EpochMs) / 1000.0;
        int first = (int) Math.floor(killT);
        Integer recovered = null;
        for (int b = Math.max(0, first); b + WINDOW <= points.size(); b++) {
            if (windowGood(samples, t0EpochMs, b, sloMs)) {
                if (recovered == null) {
                    recovered = b;
                }
            } else {
                recovered = null;
            }
        }
        if (recovered == null) {
            return null;
        }
        return Math.max(0, recovered - killT);
    }

    private static boolean windowGood(List<OrderSample> samples, long t0, int bucket, double sloMs) {
        long from = t0 + bucket * 1000L;
        long to = from + WINDOW * 1000L;
        Histogram h = new Histogram(3_600_000_000L, 2);
        for (OrderSample s : samples) {
            if (s.startEpochMs() >= from && s.startEpochMs() < to) {
                if (!s.outcome().isFinal()) {
                    return false;
                }
                h.recordValue(Math.max(1, s.latencyMicros()));
            }
        }
        return h.getTotalCount() == 0 || h.getValueAtPercentile(99) / 1000.0 <= sloMs;
    }
}

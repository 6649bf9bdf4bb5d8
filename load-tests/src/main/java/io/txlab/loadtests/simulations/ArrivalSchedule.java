package io.txlab.loadtests.simulations;

import io.gatling.javaapi.core.OpenInjectionStep;
import io.txlab.loadtests.record.OrderSample;
import scala.collection.Iterator;
import scala.concurrent.duration.FiniteDuration;

import java.util.ArrayList;
import java.util.List;

/**
 * When each order was due: Gatling's own open-model schedule (the offsets its injector derives from the injection
 * steps, user n at offset n), so latency can be timed from the scheduled arrival rather than from the moment the
 * virtual user actually started. A load generator that falls behind (CPU starved, a GC pause) then shows up in the
 * latency instead of silently delaying arrivals: no coordinated omission.
 *
 * <p>The schedule's origin is not observable from outside Gatling; it is taken as the one that makes the most punctual
 * user exactly on time ({@code min(actual start - offset)}), so lags are never negative and a generator that was late
 * throughout still shows its lag growing.
 */
public final class ArrivalSchedule {

    private final long[] offsetNanos;

    private ArrivalSchedule(long[] offsetNanos) {
        this.offsetNanos = offsetNanos;
    }

    /** Replays Gatling's injection for these steps (the same fold its injector does: each step chained before the next). */
    public static ArrivalSchedule of(List<OpenInjectionStep> steps) {
        Iterator<FiniteDuration> chained = scala.collection.Iterator.empty();
        for (int i = steps.size() - 1; i >= 0; i--) {
            chained = steps.get(i).asScala().chain(chained);
        }
        List<Long> offsets = new ArrayList<>();
        while (chained.hasNext()) {
            offsets.add(chained.next().toNanos());
        }
        return new ArrivalSchedule(offsets.stream().mapToLong(Long::longValue).toArray());
    }

    public int users() {
        return offsetNanos.length;
    }

    /** Offset of user {@code seq} (1-based) from the start of injection. */
    public long offsetNanos(long seq) {
        return offsetNanos[(int) (seq - 1)];
    }

    /**
     * The samples with their latency counted from the scheduled arrival and the generator's lag recorded. Samples
     * without a start instant (or beyond the schedule) keep their latency and a lag of 0.
     */
    public List<OrderSample> timeFromSchedule(List<OrderSample> samples) {
        long origin = Long.MAX_VALUE;
        for (OrderSample s : samples) {
            if (scheduled(s)) {
                origin = Math.min(origin, s.startNanos() - offsetNanos(s.seq()));
            }
        }
        List<OrderSample> timed = new ArrayList<>(samples.size());
        for (OrderSample s : samples) {
            if (!scheduled(s)) {
                timed.add(s);
                continue;
            }
            long lagMicros = Math.max(0, (s.startNanos() - origin - offsetNanos(s.seq())) / 1000);
            timed.add(s.withLag(lagMicros));
        }
        return timed;
    }

    private boolean scheduled(OrderSample s) {
        return s.startNanos() != 0 && s.seq() >= 1 && s.seq() <= offsetNanos.length && s.lagMicros() == 0;
    }
}

package io.txlab.loadtests.compare;

import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.measure.ResourceMeter;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.report.Targets;
import io.txlab.loadtests.simulations.ArrivalSchedule;
import io.txlab.loadtests.simulations.RunControl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The comparison's Gatling runs against order-service, with what they cost: the samples go under the report's
 * {@code samples/}, and CPU readings are taken while the run goes on (when injection starts, after a ramp, in windows),
 * so that the cost counts the orders of the measured part only.
 */
final class LoadRuns {

    /**
     * One run: which lanes take turns, its phase name (in its run id, so its orders can be found), total rate, ramp and
     * sustained seconds, tracing, HTML or not, what its orders are generated from ({@code seedKey}: runs with the
     * same key get the same orders under different Idempotency-Keys), and {@code inFlight}: 0 for arrivals at
     * {@code rate} (open model), or that many orders kept in flight (closed model, {@code rate} unused; its ramp is only
     * a discarded start).
     */
    record Spec(List<String> flows, String phase, double rate, int seconds, int rampSeconds, double rampFrom,
                LoadSettings.TraceMode tracing, boolean html, String seedKey, int inFlight) {

        static Spec constant(List<String> flows, String phase, double rate, int seconds) {
            return new Spec(flows, phase, rate, seconds, 0, 0, LoadSettings.TraceMode.OFF, false, phase, 0);
        }

        /** {@code inFlight} orders in flight for {@code discardSeconds}, then for {@code seconds} more (measured). */
        static Spec inFlight(List<String> flows, String phase, int inFlight, int discardSeconds, int seconds) {
            return new Spec(flows, phase, 0, seconds, discardSeconds, 0, LoadSettings.TraceMode.OFF, false, phase, inFlight);
        }

        Spec ramped(int ramp, double from) {
            return new Spec(flows, phase, rate, seconds, ramp, from, tracing, html, seedKey, inFlight);
        }

        Spec traced(LoadSettings.TraceMode mode) {
            return new Spec(flows, phase, rate, seconds, rampSeconds, rampFrom, mode, html, seedKey, inFlight);
        }

        Spec withHtml() {
            return new Spec(flows, phase, rate, seconds, rampSeconds, rampFrom, tracing, true, seedKey, inFlight);
        }

        Spec sameOrdersAs(String key) {
            return new Spec(flows, phase, rate, seconds, rampSeconds, rampFrom, tracing, html, key, inFlight);
        }
    }

    /**
     * A finished run and its cost from the end of its ramp (or its start) to its end: the two readings, and the cost
     * per final order that completed between them (null when injection never started).
     */
    record Measured(GatlingRunner.Run run, ResourceMeter.Reading from, ResourceMeter.Reading to,
                    Results.Resources resources) {

        /** The same interval divided by another count of orders (e.g. with a lane that ran beside Gatling). */
        Results.Resources per(long orders) {
            return from == null ? null : ResourceMeter.between(from, to, orders, Targets.SATURATED_BUSY_PERCENT);
        }
    }

    private final Plan plan;
    private final String baseUrl;
    private final String runPrefix;
    private final Path reportDir;
    private final GatlingRunner gatling;
    private final ResourceMeter meter;

    LoadRuns(Plan plan, String baseUrl, String runPrefix, Path reportDir, ResourceMeter meter) {
        this.plan = plan;
        this.baseUrl = baseUrl;
        this.runPrefix = runPrefix;
        this.reportDir = reportDir;
        this.gatling = new GatlingRunner(reportDir.resolve("gatling"));
        this.meter = meter;
    }

    ResourceMeter meter() {
        return meter;
    }

    String runId(Spec spec) {
        return runPrefix + "-" + (spec.flows().size() == 1 ? spec.flows().get(0) : "all") + "-" + spec.phase();
    }

    /** The run alone, with an observer beside it (see {@link RunControl}). */
    GatlingRunner.Run run(Spec spec, Consumer<RunControl> observer) {
        String runId = runId(spec);
        LoadSettings settings = new LoadSettings(String.join(",", spec.flows()), spec.rate(),
                Duration.ofSeconds(spec.seconds()), Duration.ofSeconds(spec.rampSeconds()),
                spec.rampSeconds() > 0 ? spec.rampFrom() : Math.max(1, spec.rate() / 10), plan.mix(),
                plan.seed() + spec.seedKey().hashCode(), baseUrl, runId, samplesFile(runId + ".csv"),
                plan.waitForFinalSeconds(), (int) plan.sloP99Ms(), plan.errorBudgetPercent(), spec.tracing(),
                spec.inFlight());
        return gatling.run(settings, spec.html(), observer);
    }

    /**
     * The run and its cost over the sustained part: a reading when the ramp ends (or injection starts) and one when
     * the run ended, divided by the final orders that completed in between.
     */
    Measured measured(Spec spec) {
        ResourceMeter.Reading[] first = new ResourceMeter.Reading[1];
        GatlingRunner.Run run = run(spec, control -> {
            try {
                long start = control.awaitStart(60, TimeUnit.SECONDS);
                if (start < 0) {
                    return;
                }
                long rampEnd = start + TimeUnit.SECONDS.toNanos(spec.rampSeconds());
                TimeUnit.NANOSECONDS.sleep(Math.max(0, rampEnd - System.nanoTime()));
                first[0] = meter.read();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ResourceMeter.Reading last = meter.read();
        if (first[0] == null) {
            return new Measured(run, null, last, null);
        }
        long orders = finalOrdersEndingBetween(run.samples(), first[0].nanoTime(), last.nanoTime());
        return new Measured(run, first[0], last, ResourceMeter.between(first[0], last, orders, Targets.SATURATED_BUSY_PERCENT));
    }

    /**
     * Windows of {@code windowSeconds} while the run goes on; after each, {@code enough} decides from the windows so far
     * whether the run may stop (it then stops at the next arrival). Returns the windows.
     */
    List<Results.Resources> windows(Spec spec, double windowSeconds, Predicate<List<Results.Resources>> enough) {
        List<Results.Resources> windows = new ArrayList<>();
        run(spec, control -> {
            try {
                long start = control.awaitStart(60, TimeUnit.SECONDS);
                if (start < 0) {
                    return;
                }
                ResourceMeter.Reading previous = meter.read();
                long finished = control.finishedOrders();
                long window = (long) (windowSeconds * 1e9);
                for (long next = start + window; ; next += window) {
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
                    ResourceMeter.Reading now = meter.read();
                    long finishedNow = control.finishedOrders();
                    synchronized (windows) {
                        windows.add(ResourceMeter.between(previous, now, finishedNow - finished, Targets.SATURATED_BUSY_PERCENT));
                        if (enough.test(List.copyOf(windows))) {
                            control.requestStop();
                            return;
                        }
                    }
                    previous = now;
                    finished = finishedNow;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        synchronized (windows) {
            return List.copyOf(windows);
        }
    }

    /** Final orders whose response came between the two instants ({@link System#nanoTime()}). */
    static long finalOrdersEndingBetween(List<OrderSample> samples, long fromNanos, long toNanos) {
        return samples.stream().filter(s -> s.outcome().isFinal() && s.startNanos() != 0).filter(s -> {
            long end = s.startNanos() + (s.latencyMicros() - s.lagMicros()) * 1000;
            return end > fromNanos && end <= toNanos;
        }).count();
    }

    /**
     * A closed run ({@link Spec#inFlight}) over its measured window: from the reading after its discarded start, for
     * its seconds. Its orders are those placed in the window, followed to their end even after it (those that ended
     * in it alone would leave out the slowest). In a closed loop an order ends as the next one is placed, so as many
     * are placed in the window as end in it: its {@code finalPerSecond} (also given as its rate) is what the flow
     * completed per second with its orders in flight. Its cost is the measured run's.
     */
    Results.RunStats inFlightStats(Measured m) {
        LoadSettings s = m.run().settings();
        double seconds = s.duration().toSeconds();
        long from = m.from() == null ? 0 : m.from().nanoTime();
        long to = from + s.duration().toNanos();
        List<OrderSample> placed = m.from() == null ? List.of() : m.run().samples().stream()
                .filter(o -> o.startNanos() > from && o.startNanos() <= to).toList();
        long finals = placed.stream().filter(o -> o.outcome().isFinal()).count();
        return Stats.runStats(s.runId(), finals / seconds, seconds, placed, m.resources(), null, rel(s.recordFile()),
                samplesFile(s.runId() + ".hgrm"));
    }

    /** The samples of the run's sustained part: orders that started after the ramp. */
    static List<OrderSample> sustained(GatlingRunner.Run run) {
        long ramp = run.settings().ramp().toNanos();
        if (ramp == 0) {
            return run.samples();
        }
        ArrivalSchedule schedule = ArrivalSchedule.of(run.settings().injection());
        return run.samples().stream().filter(s -> s.seq() > schedule.users() || schedule.offsetNanos(s.seq()) >= ramp).toList();
    }

    Results.RunStats stats(GatlingRunner.Run run, List<OrderSample> samples, Results.Resources resources) {
        LoadSettings s = run.settings();
        return Stats.runStats(s.runId(), s.rate(), s.duration().toSeconds(), samples, resources,
                run.htmlReport().map(this::rel).orElse(null), rel(s.recordFile()), samplesFile(s.runId() + ".hgrm"));
    }

    /** One flow's share of a run several flows took turns in (its rate is its share of the run's rate). */
    Results.RunStats share(GatlingRunner.Run run, String flow) {
        LoadSettings s = run.settings();
        List<OrderSample> samples = OrderSample.ofFlow(sustained(run), flow);
        if (s.flows().size() == 1) {
            return stats(run, samples, null);
        }
        String id = s.runId() + "-" + flow;
        return Stats.runStats(id, s.rate() / s.flows().size(), s.duration().toSeconds(), samples, null,
                run.htmlReport().map(this::rel).orElse(null), rel(s.recordFile()), samplesFile(id + ".hgrm"));
    }

    /** A file in the report's {@code samples/} folder. */
    Path samplesFile(String name) {
        return reportDir.resolve("samples").resolve(name);
    }

    /** The path as the report links it: relative to the report folder when inside it. */
    String rel(Path p) {
        Path abs = p.toAbsolutePath();
        Path base = reportDir.toAbsolutePath();
        return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    }
}

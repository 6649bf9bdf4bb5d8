package io.txlab.loadtests.compare;

import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.report.Results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import static io.txlab.loadtests.compare.Comparison.fmt;

/**
 * The network-distance sweep (issue 17, part 1): what each flow's latency becomes when its components are not on one
 * host. The services are put behind the link proxy (ADR 21), then for each round trip of {@link Plan#rttMs()} every
 * link gets that much added per round trip ({@code ./txlab fault delay <rtt-ms>}) and each flow runs alone at
 * {@link Plan#rttRate()} for {@link Plan#rttSeconds()}. Every link is healed at the end, whatever happened.
 *
 * <p>A flow's latency grows by the round trips on its critical path times the added round trip, so the slope of p50
 * against the round trip counts them ({@link Results.NetworkDistance#roundTrips}).
 *
 * <p>Then, with {@link Plan#rttInFlight()} positive, the same flow again at the same distance with that many orders in
 * flight (a closed loop: each virtual user places its next order once its last one is final) for
 * {@link #inFlightSeconds} seconds after {@link #inFlightDiscardSeconds} discarded: what the flow completes per second
 * at that distance. A rate search per distance would cost more than the rest of {@code --full} (an order at +50 ms
 * takes seconds, and a failed open-model step leaves a backlog that takes minutes to drain); a closed loop cannot build
 * a backlog, so one bounded run per flow and distance answers it. Whether its orders queued ({@link
 * Results.RttRun#queued}) says whether the rate is the flow's capacity there or a lower bound (ADR 52).
 */
final class NetworkDistance {

    /** The sweep of {@code --full}: loopback, same zone, a nearby zone, another region. */
    static final List<Integer> FULL_SWEEP_MS = List.of(0, 1, 10, 50);

    /** The largest round trip the sweep accepts: beyond it every flow's orders outlast the run's wait for final states. */
    static final int MAX_RTT_MS = 10_000;

    /** What the sweep cannot add a round trip to, because the local stack has no such hop. */
    static final String UNPROXIED = "the load generator's HTTP to order-service (the distance is between the stack's "
            + "components, not between the user and the stack); the hops inside one component of the local stack: the "
            + "Temporal test server keeps its history in memory (a Temporal cluster writes every workflow task to its "
            + "database, more round trips per step), the broker is one node with replication factor 1 (a produce with "
            + "acks=all across zones waits for its followers too), and the cockroach stand-in is one PostgreSQL node (a "
            + "CockroachDB cluster adds consensus round trips between replicas to each write and commit).";

    /** The longest in-flight run, discarded start included. */
    static final int MAX_IN_FLIGHT_RUN_SECONDS = 15;

    private final Plan plan;
    private final LoadRuns runs;
    private final StackControl stack;
    private final FaultRuns faults;
    private final Consumer<String> settle;
    private final Consumer<List<String>> warmup;
    private final Consumer<String> progress;

    /** @param warmup a discarded run of the flows, after the services were restarted behind the proxy */
    NetworkDistance(Plan plan, LoadRuns runs, StackControl stack, FaultRuns faults, Consumer<String> settle,
                    Consumer<List<String>> warmup, Consumer<String> progress) {
        this.plan = plan;
        this.runs = runs;
        this.stack = stack;
        this.faults = faults;
        this.settle = settle;
        this.warmup = warmup;
        this.progress = progress;
    }

    /** Seconds of an in-flight run's start that are discarded: a third of the run, over which its users are added. */
    static int inFlightDiscardSeconds(double rttSeconds) {
        return Math.max(1, inFlightRunSeconds(rttSeconds) / 3);
    }

    /** Seconds of an in-flight run that are measured, after its discarded start. */
    static int inFlightSeconds(double rttSeconds) {
        return inFlightRunSeconds(rttSeconds) - inFlightDiscardSeconds(rttSeconds);
    }

    private static int inFlightRunSeconds(double rttSeconds) {
        return (int) Math.max(2, Math.min(MAX_IN_FLIGHT_RUN_SECONDS, Math.round(rttSeconds)));
    }

    Results.NetworkDistance run(List<String> flows) {
        List<Results.RttRun> done = new ArrayList<>();
        int seconds = (int) Math.max(1, Math.round(plan.rttSeconds()));
        int inFlight = plan.rttInFlight();
        String error = null;
        try {
            if (faults.behindLinkProxy("network distance")) {
                // restarted services compile every path again: the first round trip must not pay for it
                warmup.accept(flows);
            }
            for (int rtt : plan.rttMs()) {
                stack.delayEveryLink(rtt);
                progress.accept(String.format(Locale.ROOT, "network distance: every link +%d ms per round trip; each flow "
                        + "alone at %s/s for %d s", rtt, fmt(plan.rttRate()), seconds));
                for (String flow : flows) {
                    // the same orders at every round trip (their Idempotency-Keys differ by the phase)
                    LoadRuns.Spec spec = LoadRuns.Spec.constant(List.of(flow), "rtt-" + rtt, plan.rttRate(), seconds)
                            .sameOrdersAs("rtt");
                    LoadRuns.Measured measured = runs.measured(spec);
                    Results.RunStats s = runs.stats(measured.run(), measured.run().samples(), measured.resources());
                    progress.accept(String.format(Locale.ROOT, "network distance: %s at +%d ms: p50 %s p99 %s ms (%d final, "
                                    + "%d unfinished, %d failed)", flow, rtt, fmt(s.latencyMs().p50()),
                            fmt(s.latencyMs().p99()), s.finalOrders(), s.unfinished(), s.errors()));
                    settle.accept(flow);
                    Results.RunStats loaded = inFlight > 0 ? inFlight(flow, rtt, inFlight) : null;
                    Results.RttRun run = new Results.RttRun(flow, rtt, s, loaded);
                    done.add(run);
                    if (loaded != null) {
                        progress.accept(String.format(Locale.ROOT, "network distance: %s at +%d ms with %d in flight: %s "
                                        + "final/s, p50 %s p99 %s ms, %d in flight / rate = %s ms per order (%d unfinished, %d "
                                        + "failed)%s", flow, rtt, inFlight,
                                fmt(loaded.finalPerSecond()), fmt(loaded.latencyMs().p50()), fmt(loaded.latencyMs().p99()),
                                inFlight, fmt(run.cycleMs(inFlight)),
                                loaded.unfinished(), loaded.errors(), Boolean.TRUE.equals(run.queued(inFlight))
                                        ? ": orders queued, this is its capacity here" : ": orders did not queue, a lower bound"));
                        settle.accept(flow);
                    }
                }
            }
        } catch (RuntimeException e) {
            error = e.getMessage();
            progress.accept("network distance: stopped: " + error);
        } finally {
            try {
                stack.delayEveryLink(0);
            } catch (RuntimeException e) {
                progress.accept("network distance: could not heal every link: " + e.getMessage());
                error = error == null ? "could not heal every link: " + e.getMessage() : error;
            }
        }
        return new Results.NetworkDistance(plan.rttRate(), seconds, inFlight,
                inFlight > 0 ? inFlightSeconds(plan.rttSeconds()) : 0, plan.rttMs(), List.copyOf(done), UNPROXIED, error);
    }

    private Results.RunStats inFlight(String flow, int rtt, int inFlight) {
        LoadRuns.Spec spec = LoadRuns.Spec.inFlight(List.of(flow), "rtt-" + rtt + "-in-flight", inFlight,
                inFlightDiscardSeconds(plan.rttSeconds()), inFlightSeconds(plan.rttSeconds())).sameOrdersAs("rtt-in-flight");
        return runs.inFlightStats(runs.measured(spec));
    }
}

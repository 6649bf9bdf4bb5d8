package io.txlab.loadtests.compare;

import io.txlab.devstack.Topology;
import io.txlab.loadtests.config.WorkloadMix;
import java.util.List;

/**
 * How long each phase runs. {@link #quick()} took 8 min 51 s for five flows on 2 cores with the build and the stack
 * start (its budget is 6: the stack's cost per order stretches every phase), {@link #full()} took 31 min (1855 s) on 2 cores on 2026-12-03.
 *
 * @param rate                the open-model rate of every lane in the latency and steady-state runs, orders/s per
 *                            lane (the targets are stated at this rate)
 * @param stackWarmupSeconds  a discarded run of every compared flow in turn before anything is measured, its rate
 *                            ramping from a tenth of {@code stackWarmupRate}: a cold stack hit at the full rate at
 *                            once only builds a queue, and the JIT compiles the paths of every flow before the first
 *                            lane's steady state starts (10 s left the first lane paying for it)
 * @param idleSeconds         a window of the stack's own cost with no load, after the warm-up: windows follow each other
 *                            until two agree (ADR 42), at most {@code maxWarmupSeconds}; the last is the figure
 * @param windowSeconds       a steady-state window: each lane runs alone at {@code rate} until two consecutive windows'
 *                            CPU per order differ by less than {@code steadyTolerance}, at most
 *                            {@code maxWarmupSeconds}; its last window is the lane's CPU per order
 * @param repetitions         latency repetitions: each lane alone at {@code rate} for {@code repetitionSeconds},
 *                            the lanes' order rotated between repetitions; percentiles pool their orders, the CV
 *                            compares them
 * @param minP99Samples       no p99 from fewer final orders per lane than this
 * @param stepSeconds         a throughput step's sustained part, after {@code rampSeconds} of ramp (discarded)
 * @param maxSteps            throughput steps per flow: the first at the rate its CPU per order predicts, then up
 *                            while they pass and bisecting once one failed
 * @param tracingPair         measure tracing's cost: all lanes in turn with every trace sampled, then none, each
 *                            {@code tracingSeconds}; no other run records a span
 * @param sharedChaos         true: one chaos run with every flow at once ({@code chaosRate} in total, the flows take
 *                            turns) and one kill that hits them all at the same instant (default order-service, the
 *                            one component every flow passes through); false: one chaos run per flow, each killing
 *                            the component that flow leans on most ({@link Comparison#DEFAULT_KILL})
 * @param chaosBusy           the share of the machine's cores a fault run's load may keep busy, judged by its flows'
 *                            CPU per order measured in the latency phase: the run's rate is the lower of
 *                            {@code chaosRate} and {@code chaosBusy × cores × 1000 / mean CPU ms per order}, so that
 *                            the backlog a fault builds drains after it instead of growing (a run at 50 orders/s on 2
 *                            cores, each order ~45 ms, was over capacity before the fault); 0: {@code chaosRate} as is
 * @param crashPoints         per flow, a run in which a service is restarted with the {@code chaos} profile and one
 *                            named crash point armed, halts itself there, and is restarted disarmed
 * @param infraFaults         faults in shared runs of their own after the chaos runs: a component SIGKILLed (a database,
 *                            the broker), a link partitioned ({@link FaultRuns#PARTITION}{@code from:to}, ADR 21) or
 *                            a cluster's disk full ({@link FaultRuns#DISK_FULL}{@code cluster}) or a service's heap
 *                            squeezed ({@link FaultRuns#MEMORY}{@code service});
 *                            every flow's load at once, one fault, the same recovery and audit as a chaos run
 * @param rttMs               the network-distance sweep ({@link NetworkDistance}): round trips added to every link of
 *                            the link proxy, in turn; each flow runs alone at {@code rttRate} for {@code rttSeconds}
 *                            at each; empty: no sweep
 * @param rttInFlight         in the sweep, after each flow's low-rate run, a run with this many of its orders in flight
 *                            (closed loop): what it completes per second at that distance; 0: not run
 * @param twopcBench          the 2PC tax ({@link TwopcTax}): {@code ./txlab twopc-bench} run by the comparison at its end,
 *                            with the stack idle: {@code full}, {@code quick} (its seconds-long mode) or {@code off}
 * @param deadlineOrders      order deadlines ({@link DeadlinePhase}): orders per flow placed with a deadline of
 *                            {@code deadlineSeconds} while the link of its payment step is partitioned; 0: not run
 * @param anomalyBursts       isolation anomalies ({@link AnomalyPhase}): bursts of concurrent orders per flow for a hot
 *                            SKU and a customer with little money, while a reader samples; 0: not run
 * @param mechanismFloors     each flow's mechanism alone ({@link MechanismFloors}): {@code ./txlab mechanism-floor}
 *                            run by the comparison at its end for every measured flow that has one, with the services
 *                            idle (ADR 47, ADR 55)
 * @param mechanismFloorSeconds each floor's warm-up at the rate (discarded), and then its idle window and its window at
 *                            the rate, each this long
 */
public record Plan(String mode, double rate, double stackWarmupSeconds, double stackWarmupRate, double idleSeconds,
                   double windowSeconds, double steadyTolerance, double maxWarmupSeconds, int repetitions,
                   double repetitionSeconds, int minP99Samples, double stepSeconds, double rampSeconds, int maxSteps,
                   double sloP99Ms, double errorBudgetPercent, boolean tracingPair, double tracingSeconds,
                   boolean sharedChaos, double chaosRate, double chaosBusy, double chaosSeconds, double killAtSeconds,
                   double restartAfterSeconds, double recoveryDeadlineSeconds, boolean crashPoints, double crashSeconds,
                   double settleSeconds, WorkloadMix mix, long seed, int waitForFinalSeconds, boolean chaos,
                   boolean throughput, List<String> infraFaults, List<Integer> rttMs, double rttRate,
                   double rttSeconds, int rttInFlight, String twopcBench, int deadlineOrders, double deadlineSeconds,
                   int anomalyBursts, boolean mechanismFloors,
                   double mechanismFloorSeconds) {

    public Plan {
        infraFaults = List.copyOf(infraFaults);
        rttMs = List.copyOf(rttMs);
        if (!TwopcTax.MODES.contains(twopcBench)) {
            throw new IllegalArgumentException("twopcBench must be one of " + TwopcTax.MODES + ", got " + twopcBench);
        }
        if (deadlineOrders < 0 || deadlineOrders > 100) {
            throw new IllegalArgumentException("deadlineOrders must be between 0 and 100, got " + deadlineOrders);
        }
        if (deadlineSeconds < 0.1 || deadlineSeconds > 60) {
            throw new IllegalArgumentException("deadlineSeconds must be between 0.1 and 60, got " + deadlineSeconds);
        }
        if (!(idleSeconds >= 0.5 && idleSeconds <= 600)) {
            throw new IllegalArgumentException("idleSeconds must be between 0.5 and 600, got " + idleSeconds);
        }
        if (rttInFlight < 0 || rttInFlight > MAX_RTT_IN_FLIGHT) {
            throw new IllegalArgumentException("rttInFlight must be between 0 and " + MAX_RTT_IN_FLIGHT + ", got " + rttInFlight);
        }
        if (!(mechanismFloorSeconds >= 1 && mechanismFloorSeconds <= 600)) {
            throw new IllegalArgumentException("mechanismFloorSeconds must be between 1 and 600, got " + mechanismFloorSeconds);
        }
        if (anomalyBursts < 0 || anomalyBursts > 100) {
            throw new IllegalArgumentException("anomalyBursts must be between 0 and 100, got " + anomalyBursts);
        }
    }

    /**
     * Orders in flight in {@code --full}'s capacity runs: enough to keep every flow busy at every distance of the sweep
     * (a flow completing 40/s with orders taking 1.5 s needs 60), few enough for order-service's long-poll bound
     * (ADR 51) and the load generator.
     */
    static final int FULL_RTT_IN_FLIGHT = 64;

    /** The most orders in flight a capacity run may keep: order-service's long-poll bound on the devstack is 660. */
    static final int MAX_RTT_IN_FLIGHT = 500;

    public static Plan quick() {
        return new Plan("quick", 20, 30, 25, 5,
                5, 0.10, 25, 3,
                9, 500, 10, 3, 2,
                1000, 1, false, 10,
                true, 50, 0.5, 30, 3,
                2, 30, false, 20,
                20, WorkloadMix.DEFAULT, 42, 10, true,
                true, List.of(), List.of(), 5, 15, 0, TwopcTax.OFF, 0, 2, 5, false, 60);
    }

    public static Plan full() {
        return new Plan("full", 20, 60, 25, 10,
                10, 0.10, 90, 3,
                20, 1000, 15, 4, 4,
                1000, 1, true, 30,
                false, 50, 0.5, 25, 5,
                3, 30, true, 25,
                30, WorkloadMix.DEFAULT, 42, 10, true,
                true, List.of(Topology.POSTGRES_ORDER, Topology.POSTGRES_INVENTORY, Topology.POSTGRES_PAYMENT,
                        Topology.POSTGRES_COORDINATOR, Topology.KAFKA,
                        FaultRuns.PARTITION + Topology.PAYMENT_SERVICE + ":" + Topology.POSTGRES_PAYMENT,
                        FaultRuns.DISK_FULL + Topology.POSTGRES_PAYMENT, FaultRuns.MEMORY + Topology.PAYMENT_SERVICE),
                NetworkDistance.FULL_SWEEP_MS, 5, 20, FULL_RTT_IN_FLIGHT, TwopcTax.FULL, 5, 2, 25, true, 60);
    }
}

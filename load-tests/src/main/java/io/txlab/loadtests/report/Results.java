package io.txlab.loadtests.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code ./txlab compare} measured, as written to {@code report/results.json}. Latencies are in
 * milliseconds, rates in orders per second, times in seconds, CPU in milliseconds per order; a {@code null} or
 * {@code NaN} means "not measured" (never zero).
 */
public final class Results {

    private Results() {
    }

    /**
     * @param idle     the stack with no load, after the warm-up, in windows until it settled (ADR 42); its last window is
     *                 the figure (per-order figures NaN; the share of a core counts)
     * @param floor    one local PostgreSQL transaction per order, measured like a flow (flow id {@code floor})
     * @param latency  every run of the latency phase (each lane alone), in the order they ran
     * @param tracing  tracing's cost: the same orders with tracing on and off (null when not run)
     */
    public record Comparison(String generatedAt, String mode, double elapsedSeconds, Machine machine,
                             Map<String, String> versions, Settings settings, SteadyState idle, FlowResult floor,
                             List<FlowResult> flows, List<RunStats> latency, TracingCost tracing,
                             NetworkDistance network, TwopcTax twopcTax, MechanismFloors mechanismFloors,
                             Deadlines deadlines, Anomalies anomalies,
                             Audit finalAudit, List<Target> targets, List<String> notes) {
    }

    /**
     * Isolation anomalies between concurrent orders (issue 17 part 3, ADR 39): per flow, bursts of concurrent orders
     * for a hot SKU with a few units, half of them from a customer who cannot pay (their stock is held, then given
     * back) and half from a customer whose balance covers all but one of them, while a reader samples the three
     * services' tables.
     *
     * @param bursts         bursts per flow
     * @param ordersPerBurst orders fired at once in each burst
     * @param unitsPerBurst  units of the burst's own SKU, and orders' worth of money of its paying customer
     */
    public record Anomalies(int bursts, int ordersPerBurst, int unitsPerBurst, List<AnomalyRun> runs, String error) {

        public Anomalies {
            runs = List.copyOf(runs);
        }
    }

    /**
     * One flow's anomaly run. Counts are orders (each counted once per kind), never samples, so they read per 1000
     * orders against {@code placed}.
     *
     * @param countermeasure          what the flow ran with against the anomalies ({@code "semantic lock"}, ADR 44); null
     *                                for the flow as it is
     * @param oversoldUnits           units confirmed beyond a burst's stock (0 unless an invariant broke)
     * @param overdrawnOrders         orders confirmed beyond what the paying customer's balance covered (ditto)
     * @param refusedForStock         orders cancelled OUT_OF_STOCK
     * @param falseStockRejections    of those, per burst at most the units still on the shelf once every order was
     *                                final: refused for stock that came back (a compensation released it)
     * @param refusedOther            orders cancelled for anything but stock and money: a 2PC branch that waited out its
     *                                lock timeout and voted NO, a step that gave up (TECHNICAL_FAILURE)
     * @param refusedForFunds         the paying customer's orders cancelled INSUFFICIENT_FUNDS
     * @param falseFundsRejections    of those, per burst at most the orders' worth of money left once every order was final
     * @param stockHeldThenCancelled  cancelled orders whose reservation was committed (stock held where any reader could
     *                                see it) before it was released
     * @param stockHeldP50Ms          how long those held it, {@code created_at → released_at} of the reservation
     * @param moneyHeldThenCancelled  cancelled orders whose charge was committed before it was refunded
     * @param samples                 reader samples taken (each: orders, payments, reservations, orders again)
     * @param dirtyStockSeen          orders the reader saw holding stock that ended CANCELLED
     * @param dirtyMoneySeen          orders the reader saw holding money that ended CANCELLED
     * @param confirmedUnpaidSeen     orders the reader saw CONFIRMED and, in the same sample read after, without their
     *                                charge (read skew)
     * @param confirmedUnreservedSeen ditto without their reservation
     * @param paidWhilePendingSeen    orders whose charge the reader saw while, read after, the order was still PENDING
     * @param cancelledHoldingSeen    orders the reader saw CANCELLED while, read after, stock or money was still held
     * @param pendingStockSeen        under a semantic lock: orders the reader saw holding stock as PENDING that ended
     *                                CANCELLED (a hold a reader honouring the lock does not count as sold); null without
     * @param retries                 serialization retries (the cockroach flow's own count); null for the others
     * @param createdToFinalP50Ms     created → completed as order-service recorded them
     */
    public record AnomalyRun(String flow, String countermeasure, int placed, Map<String, Integer> outcomes, int notFinal, int oversoldUnits,
                             int overdrawnOrders, int refusedForStock, int falseStockRejections, int refusedOther,
                             int refusedForFunds,
                             int falseFundsRejections, int stockHeldThenCancelled, Double stockHeldP50Ms,
                             Double stockHeldMaxMs, int moneyHeldThenCancelled, int samples, int dirtyStockSeen,
                             int dirtyMoneySeen, int confirmedUnpaidSeen, int confirmedUnreservedSeen,
                             int paidWhilePendingSeen, int cancelledHoldingSeen, Integer pendingStockSeen,
                             Integer retries,
                             Double createdToFinalP50Ms, Double createdToFinalMaxMs, Audit audit, String note) {

        public AnomalyRun {
            outcomes = Map.copyOf(outcomes);
        }
    }

    /**
     * Order deadlines (issue 17 part 4, ADR 38): per flow, orders placed with a short deadline while the link that carries
     * the payment step is partitioned for longer than it, so the step hangs; how each flow gave up on them.
     *
     * @param deadlineSeconds  the deadline every order was placed with
     * @param partitionSeconds how long each flow's link stayed partitioned after its first order
     */
    public record Deadlines(double deadlineSeconds, double partitionSeconds, int ordersPerFlow, List<DeadlineRun> runs,
                            String error) {

        public Deadlines {
            runs = List.copyOf(runs);
        }
    }

    /**
     * One flow's deadline run.
     *
     * @param link              the partitioned link ({@code from>to}); null when the flow has no step to hang
     * @param outcomes          final status (and reason) → orders, e.g. {@code CANCELLED DEADLINE_EXCEEDED → 5}
     * @param timeToCancelP50Ms of the orders cancelled DEADLINE_EXCEEDED: created → cancelled, as order-service recorded
     *                          both; null when none was
     * @param notFinal          orders still PENDING when the run stopped following them
     * @param heldOrders        orders for which a participant held stock or money at some point (a reservation, a
     *                          charge); the others were refused or rolled back before anything was held
     * @param returnedP50Ms     of those: created → the last of their stock and money given back (the reservation's
     *                          {@code released_at}, the payment's {@code refunded_at}); null when none was held
     * @param stillHeld         orders whose stock or money was still held when the run ended
     * @param audit             the run's orders audited once the link healed and the flow settled
     */
    public record DeadlineRun(String flow, String link, int placed, int deadlineExceeded, Map<String, Integer> outcomes,
                              Double timeToCancelP50Ms, Double timeToCancelMaxMs, int notFinal, int heldOrders,
                              Double returnedP50Ms, Double returnedMaxMs, int stillHeld, Audit audit, String note) {

        public DeadlineRun {
            outcomes = Map.copyOf(outcomes);
        }
    }

    public record Machine(int cores, double memoryGiB, String cpuModel, String os, String jdk) {
    }

    /** The plan as run; see {@code Plan} for what each phase means. */
    public record Settings(double rate, double stackWarmupSeconds, double stackWarmupRate, double idleSeconds,
                           double windowSeconds, double steadyTolerance, double maxWarmupSeconds, int repetitions,
                           double repetitionSeconds, int minP99Samples, double stepSeconds, double rampSeconds,
                           int maxSteps, double sloP99Ms, double errorBudgetPercent, boolean tracingPair,
                           double tracingSeconds, String chaosMode, double chaosRate, double chaosBusy, double chaosSeconds,
                           double killAtSeconds, double restartAfterSeconds, double recoveryDeadlineSeconds,
                           boolean crashPoints, double crashSeconds, String mix, long seed, int waitForFinalSeconds,
                           String tracing, String baseUrl, Map<String, String> serviceSettings) {
    }

    /**
     * One lane of the comparison: a flow, or the floor (flow {@code floor}).
     *
     * @param status   MEASURED, MISSING (the build has no such flow: 422 "not implemented"), or FAILED (with why)
     * @param steady   the warm-up that ran until CPU per order was steady (its last window is the lane's CPU figure
     *                 until the latency repetitions have measured it over more orders)
     * @param latency  this lane's orders of the latency repetitions
     * @param chaos    the recovery after a kill (shared or per-flow run)
     * @param crash    the recovery after a named crash point (null when not run, or the flow has none)
     * @param vsFloor  p50, p99 and CPU per order divided by the floor's
     * @param infra    the shared runs in which a database or the broker was killed, in the order they ran
     */
    public record FlowResult(String flow, String status, String detail, String backend, String backendSource,
                             SteadyState steady, Latency latency, Throughput throughput, Chaos chaos, Chaos crash,
                             Audit audit, Ratio vsFloor, List<Chaos> infra) {

        public FlowResult {
            infra = infra == null ? List.of() : List.copyOf(infra);
        }

        public FlowResult(String flow, String status, String detail, String backend, String backendSource,
                          SteadyState steady, Latency latency, Throughput throughput, Chaos chaos, Chaos crash,
                          Audit audit, Ratio vsFloor) {
            this(flow, status, detail, backend, backendSource, steady, latency, throughput, chaos, crash, audit,
                    vsFloor, List.of());
        }

        public FlowResult withChaos(Chaos c) {
            return new FlowResult(flow, status, detail, backend, backendSource, steady, latency, throughput, c, crash,
                    audit, vsFloor, infra);
        }

        /** With one more infrastructure fault run appended. */
        public FlowResult withInfraFault(Chaos c) {
            List<Chaos> more = new java.util.ArrayList<>(infra);
            more.add(c);
            return new FlowResult(flow, status, detail, backend, backendSource, steady, latency, throughput, chaos,
                    crash, audit, vsFloor, more);
        }

        /** Every fault run of the flow: its chaos run, its crash point, the infrastructure faults. */
        public List<Chaos> faultRuns() {
            List<Chaos> all = new java.util.ArrayList<>();
            if (chaos != null) {
                all.add(chaos);
            }
            if (crash != null) {
                all.add(crash);
            }
            all.addAll(infra);
            return all;
        }

        public FlowResult withLatency(Latency l, Ratio ratio) {
            return new FlowResult(flow, status, detail, backend, backendSource, steady, l, throughput, chaos, crash,
                    audit, ratio, infra);
        }

        public static FlowResult notMeasured(String flow, String status, String detail) {
            return new FlowResult(flow, status, detail, null, null, null, null, null, null, null, null, null);
        }

        /**
         * The lane's CPU figure: pooled over its latency repetitions (the same orders as its latency percentiles, some
         * hundreds of them), else the last window of its steady-state warm-up at the same rate; null if neither ran.
         */
        public Resources cpu() {
            if (latency != null && latency.resources() != null) {
                return latency.resources();
            }
            return steady == null ? null : steady.cpu();
        }
    }

    /**
     * What a run cost the machine, per order finished in it ({@code NaN} when none finished: an idle measurement).
     *
     * @param cpuMsPerOrder      CPU milliseconds (user + system) per order, per stack component (its whole process
     *                           tree) and for the load generator ({@code load-generator})
     * @param stackCpuMsPerOrder the sum over the stack's components, load generator excluded
     * @param totalCpuMsPerOrder stack and load generator together
     * @param percentOfCore      each one's CPU as a share of one core over the window
     * @param stackPercentOfCore the stack's CPU as a share of one core
     * @param machineBusyPercent the whole machine (every core, every process, ours or not) busy over the window
     * @param saturated          busy above {@link Targets#SATURATED_BUSY_PERCENT}: a latency taken then measures a
     *                           queue for the CPU as much as the flow
     * @param gcPauseMs          stop-the-world GC pause time per JVM within the window
     * @param restarted          components whose process changed within the window (their CPU counts from the new one)
     * @param ioStallPercent     share of the window in which every runnable task of the machine waited for I/O
     *                           ({@code /proc/pressure/io}, {@code full}); NaN where the kernel does not report it. A
     *                           latency outlier at moderate CPU busy with this well above 0 is the disk, not the flow
     */
    public record Resources(double seconds, long orders, Map<String, Double> cpuMsPerOrder, double stackCpuMsPerOrder,
                            double totalCpuMsPerOrder, Map<String, Double> percentOfCore, double stackPercentOfCore,
                            double machineBusyPercent, boolean saturated, Map<String, Double> gcPauseMs,
                            List<String> restarted, double ioStallPercent) {
    }

    /**
     * A lane's warm-up: windows at the latency rate until CPU per order changed by less than the tolerance between two
     * consecutive windows, or the cap. The idle stack's windows: the same, on its share of a core (ADR 42).
     *
     * @param reached         steady before the cap
     * @param secondsToSteady from the start of the warm-up to the end of the last window
     * @param windows         every window, in order; the last is the lane's CPU figure (the idle stack's figure)
     */
    public record SteadyState(double windowSeconds, double tolerance, boolean reached, double secondsToSteady,
                              List<Resources> windows) {

        public Resources cpu() {
            return windows.isEmpty() ? null : windows.get(windows.size() - 1);
        }
    }

    public record Percentiles(double p50, double p95, double p99, double p999) {
    }

    /**
     * One run's orders (or one flow's share of a run several flows took turns in).
     *
     * @param finalOrders         orders that reached a final state: the percentiles' sample count
     * @param generatorLagP99Ms   how late the load generator started orders against its schedule (p99): timed from
     *                            the schedule, this lag is inside the latency; a large one means the generator starved
     * @param resources           the run's cost (null for a flow's share of a run flows took turns in: the run has it)
     */
    public record RunStats(String runId, double rate, double durationSeconds, long orders, long finalOrders,
                           long confirmed, long cancelled, long unfinished, long errors, double finalPerSecond,
                           Percentiles latencyMs, double maxMs, double meanMs, double generatorLagP99Ms,
                           Resources resources, String gatlingReport, String samplesFile, String histogramFile) {
    }

    /**
     * A lane's latency, from its orders of the repetitions (each lane alone at the same rate, the lanes' order rotated
     * between repetitions so drift falls on each in turn).
     *
     * @param interleavedWith the lanes of the rotation
     * @param pooled      percentiles over the final orders of all repetitions ({@code samples} of them); p99 only with
     *                    enough samples for the plan, p99.9 only from 5000
     * @param cv          coefficient of variation of each repetition's percentile across the repetitions
     * @param serverP50Ms the p50 of the server's own {@code completedAt − createdAt} for the same orders: a cross-check
     *                    of the client's timing, which adds the HTTP calls and the long-poll's wake-up (null: no
     *                    server timestamps, as for the floor)
     * @param saturated   the machine was above the saturation mark in one of this lane's repetitions: the figure measures
     *                    a CPU queue too
     * @param resources   the repetitions' cost pooled: CPU per order over all their orders (the lane's CPU figure)
     */
    public record Latency(double rate, List<String> interleavedWith, List<RunStats> repetitions, Percentiles pooled,
                          long samples, long unfinished, long errors, Percentiles cv, double machineBusyPercent,
                          boolean saturated, String note, Double serverP50Ms, Resources resources) {
    }

    public record Step(double rate, boolean passed, String reason, RunStats stats) {
    }

    /**
     * The knee: sustained steps of this flow alone, each after a ramp, searched from an estimate made from its CPU per
     * order (raised while steps pass, then bisected).
     *
     * @param maxSustainedRate the highest step that held p99 ≤ SLO with at most the error budget failed or unfinished
     * @param lowestFailedRate the lowest step that did not (the knee lies between the two)
     * @param cpuAtMax         the cost per order at {@code maxSustainedRate}
     */
    public record Throughput(double sloP99Ms, double errorBudgetPercent, double stepSeconds, double rampSeconds,
                             double estimateRate, List<Step> steps, Double maxSustainedRate, Double lowestFailedRate,
                             Resources cpuAtMax, String stopReason) {
    }

    /**
     * Tracing's cost: the same orders (same seed, every lane in turn) once with every trace sampled and exported to
     * Zipkin and once with none sampled.
     */
    /**
     * Each flow's mechanism alone (ADR 47, ADR 57): {@code ./txlab mechanism-floor}, run by the comparison at its end for
     * every measured flow that has one, with the services stopped. One process per flow, so a flow whose floor fails
     * leaves the others measured.
     *
     * @param stopped the services stopped for the floors
     * @param runs    one per flow, in the order they ran
     * @param output  its folder, relative to the report folder (a subfolder per flow with its JSON and log)
     */
    public record MechanismFloors(String output, double warmupSeconds, double windowSeconds, List<String> stopped,
                                  List<MechanismFloorRun> runs) {

        public MechanismFloors {
            stopped = stopped == null ? List.of() : List.copyOf(stopped);
            runs = runs == null ? List.of() : List.copyOf(runs);
        }
    }

    /**
     * One flow's mechanism alone, as {@code mechanism-floor.json} says: CPU per order of the components it runs on and of
     * its own JVM in a window at the rate, gross and net of an idle window of the same length; latency from each
     * order's due time to its final commit.
     *
     * @param command the command that ran it
     * @param error   why it did not run or its output could not be read; null when it ran (then every order it placed
     *                was CONFIRMED in its database, or the command would have failed)
     */
    public record MechanismFloorRun(String flow, String command, String mechanism, double rate, long orders,
                                    double seconds, double cpuMsPerOrder, double cpuMsPerOrderNetOfIdle,
                                    Map<String, Double> cpuMsPerOrderByComponent,
                                    Map<String, Double> cpuMsPerOrderByComponentNetOfIdle, double machineBusyPercent,
                                    double p50Ms, double p99Ms, String error) {

        public MechanismFloorRun {
            // in the order the command wrote them (the engine, the databases, its JVM)
            cpuMsPerOrderByComponent = ordered(cpuMsPerOrderByComponent);
            cpuMsPerOrderByComponentNetOfIdle = ordered(cpuMsPerOrderByComponentNetOfIdle);
        }

        private static Map<String, Double> ordered(Map<String, Double> m) {
            return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(m));
        }

        /** This run as the comparison ran it: its flow and command, no error. */
        public MechanismFloorRun ranAs(String flow, String command) {
            return new MechanismFloorRun(flow, command, mechanism, rate, orders, seconds, cpuMsPerOrder,
                    cpuMsPerOrderNetOfIdle, cpuMsPerOrderByComponent, cpuMsPerOrderByComponentNetOfIdle,
                    machineBusyPercent, p50Ms, p99Ms, null);
        }

        public static MechanismFloorRun failed(String flow, String command, String error) {
            return new MechanismFloorRun(flow, command, null, Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Map.of(),
                    Map.of(), Double.NaN, Double.NaN, Double.NaN, error);
        }
    }

    /**
     * The 2PC tax (issue 17, part 2): {@code ./txlab twopc-bench}'s {@code twopc-bench.json}, run by the comparison at its
     * end with the stack idle. Plain JDBC against PostgreSQL clusters of its own, no HTTP: the protocol's cost.
     *
     * @param command    the command that produced it, as its JSON says
     * @param output     its folder, relative to the report folder (its JSON, markdown and log)
     * @param warmupMs   each measurement's discarded warm-up
     * @param durationMs each measurement's measured time
     * @param error      why it did not run or its output could not be read; null when it ran
     */
    public record TwopcTax(String command, String output, long warmupMs, long durationMs, List<TaxRun> runs,
                           List<TaxCrash> crash, String error) {

        public TwopcTax {
            runs = runs == null ? List.of() : List.copyOf(runs);
            crash = crash == null ? List.of() : List.copyOf(crash);
        }

        public static TwopcTax failed(String command, String output, String error) {
            return new TwopcTax(command, output, 0, 0, List.of(), List.of(), error);
        }
    }

    /**
     * One closed-loop measurement: {@code concurrency} clients, each doing one transaction after another, local
     * ({@code participants} 1) or 2PC; the tax and the throughput ratio are against the local run at the same
     * concurrency (null for the local run itself). {@code cpuMsPerTx}: every cluster's processes and the benchmark's
     * JVM (its clients and its coordinator) over the measured time, per transaction; {@code cpuTax} its ratio to local.
     */
    public record TaxRun(String scenario, int participants, int concurrency, long transactions, double throughputPerSec,
                         double p50Ms, double p95Ms, double p99Ms, double maxMs, Double taxP50, Double taxP99,
                         Double throughputRatio, Double cpuMsPerTx, Double cpuTax) {
    }

    /**
     * The coordinator killed with a transaction prepared on every participant, before or after its decision was logged,
     * kept away {@code coordinatorDowntimeMs}, then restarted into recovery: how long a competing {@code UPDATE} of a
     * locked row waited, from the kill until it went through.
     */
    public record TaxCrash(String scenario, int participants, long coordinatorDowntimeMs, long prepareTimeoutMs,
                           long recoveryIntervalMs, double competingUpdateBlockedMs, double restartToResolvedMs,
                           double resolvingPassMs, String outcome) {
    }

    /**
     * The network-distance sweep: every link of the link proxy (a service's connections to its databases, to Temporal
     * and to another service) {@code rttMs} slower per round trip, each flow alone at {@code rate} for {@code seconds};
     * then, when {@code inFlight} is positive, each flow again with that many orders in flight (a closed loop) for
     * {@code inFlightSeconds} measured: what it completes per second at that distance when it is never idle.
     *
     * @param unproxied what the proxy does not carry, so no round trip is added to it (Kafka, the load generator's HTTP)
     * @param error     why the sweep did not run, or stopped; null when it ran to its end
     */
    public record NetworkDistance(double rate, double seconds, int inFlight, double inFlightSeconds, List<Integer> rttMs,
                                  List<RttRun> runs, String unproxied, String error) {

        public List<RttRun> of(String flow) {
            return runs.stream().filter(r -> r.flow().equals(flow)).toList();
        }

        /**
         * The round trips on the flow's critical path, as its p50 shows them: the slope of p50 against the added round
         * trip, from the smallest to the largest round trip the flow has a p50 at; null with fewer than two.
         */
        public Double roundTrips(String flow) {
            RttRun lo = null;
            RttRun hi = null;
            for (RttRun r : of(flow)) {
                if (Double.isNaN(r.stats().latencyMs().p50())) {
                    continue;
                }
                if (lo == null || r.rttMs() < lo.rttMs()) {
                    lo = r;
                }
                if (hi == null || r.rttMs() > hi.rttMs()) {
                    hi = r;
                }
            }
            if (lo == null || hi.rttMs() == lo.rttMs()) {
                return null;
            }
            return (hi.stats().latencyMs().p50() - lo.stats().latencyMs().p50()) / (hi.rttMs() - lo.rttMs());
        }
    }

    /**
     * One flow alone at one added round trip: at the sweep's low rate ({@code stats}), and with the sweep's orders in
     * flight ({@code inFlight}, whose {@code finalPerSecond} is what it completed per second; null when not run).
     */
    public record RttRun(String flow, int rttMs, RunStats stats, RunStats inFlight) {

        /** Orders in flight waited this many times the low-rate mean or more: they queued for something they share. */
        public static final double QUEUED_FACTOR = 2;

        /**
         * The mean time one of {@code orders} kept in flight took per order: {@code orders} ÷ the rate it completed
         * (Little's law), NaN without an in-flight run. Unlike the mean of the orders placed in the measured window, it
         * counts a slow share that outlasts the window: a virtual user held by a 20 s order places nothing in a 10 s
         * window, so the orders placed in it are the fast ones, while the rate it completes falls with every user held.
         */
        public double cycleMs(int orders) {
            if (inFlight == null || !(inFlight.finalPerSecond() > 0)) {
                return Double.NaN;
            }
            return orders * 1000.0 / inFlight.finalPerSecond();
        }

        /**
         * Whether the {@code orders} in flight queued behind each other: each took on average ({@link #cycleMs}) at
         * least {@link #QUEUED_FACTOR} times the low-rate run's mean. Then the flow completed what it can at this
         * distance, and its rate is its capacity; if not, more orders in flight would have completed more, and the rate
         * is a lower bound. A mean, not a p50: a flow whose orders split into fast ones and a slow share (a timeout, a
         * retry) queues in that share. Null without both runs.
         */
        public Boolean queued(int orders) {
            double cycle = cycleMs(orders);
            if (Double.isNaN(cycle) || Double.isNaN(stats.meanMs())) {
                return null;
            }
            return cycle >= QUEUED_FACTOR * stats.meanMs();
        }
    }

    public record TracingCost(double rate, double seconds, RunStats on, RunStats off, Double cpuOverheadPercent,
                              List<TracingFlow> flows, String note) {
    }

    /** One flow's orders of the tracing pair, and its slowest traced orders with their traces. */
    public record TracingFlow(String flow, Percentiles onMs, Percentiles offMs, long onSamples, long offSamples,
                              Double p50OverheadPercent, Double p99OverheadPercent, List<TraceLink> slowest) {
    }

    /** @param file the trace's JSON (Zipkin v2) saved in the report, loadable in any Zipkin UI; null if not fetched */
    public record TraceLink(String orderId, String traceId, double latencyMs, int spans, String zipkinUrl, String file) {
    }

    public record TimelinePoint(double t, long started, long bad, Double p99Ms) {
    }

    /**
     * @param mode       "shared" (every flow in one run, one kill), "per-flow", "crash-point", or "partition" (every flow
     *                   in one run, one link partitioned and healed; component is the link, from>to), or "disk-full"
     *                   (every flow in one run, the cluster named by component with its disk filled, then freed), or
     *                   "memory" (every flow in one run, the service named by component with its heap squeezed, then
     *                   released)
     * @param crashPoint the armed crash point (mode crash-point), else null
     * @param flowsInRun the flows whose orders were in the run (the others' numbers are in their own results)
     * @param audit      the audit right after this run (shared mode: one audit for all flows of the run)
     * @param during     the flow's orders placed from the fault until the restart was healthy or the link healed (until
     *                   the load stopped if it never was); null when the fault did not happen
     * @param after      the flow's orders placed after that, until the load stopped; null when none could be
     */
    public record Chaos(String mode, String component, String crashPoint, List<String> flowsInRun, double rate,
                        double durationSeconds, Double killAtSeconds,
                        Double restartBeganAtSeconds, Double restartHealthyAtSeconds, long ordersInFlightAtKill,
                        Double allFinalAfterKillSeconds, Double allFinalAfterRestartSeconds,
                        Double p99BackUnderSloAfterKillSeconds, long notFinalAtDeadline,
                        List<String> notFinalOrderIds, double deadlineSeconds, List<TimelinePoint> timeline,
                        RunStats stats, Audit audit, String error, Availability during, Availability after) {

        /** A fault run that did not happen, with why (nothing measured: every number null). */
        public static Chaos notRun(String mode, String component, String crashPoint, List<String> flowsInRun, String why) {
            return new Chaos(mode, component, crashPoint, flowsInRun, 0, 0, null, null, null, 0, null, null, null, 0,
                    List.of(), 0, List.of(), null, null, why, null, null);
        }
    }

    /**
     * A window of a fault run, one flow's orders by their start: placed, accepted (an order id in a 2xx answer), and of
     * the accepted, how many ended as the workload asked, how many ended otherwise (an order meant to be confirmed,
     * cancelled), and how many were not final at the deadline.
     */
    public record Availability(long placed, long accepted, long asAsked, long otherwise, long notFinal) {

        public Double acceptedShare() {
            return placed == 0 ? null : (double) accepted / placed;
        }

        public Double asAskedShare() {
            return placed == 0 ? null : (double) asAsked / placed;
        }
    }

    /** A lane's p50, p99 and CPU per order divided by the floor's. */
    public record Ratio(Double p50, Double p99, Double cpu) {
    }

    public record Audit(String scope, String status, String detail, List<Check> checks, Map<String, Long> violationsByFlow) {
    }

    /** PASS, FAIL or SKIPPED (with why); examples name order ids (or SKUs, customers, gids). */
    public record Check(String name, String flow, String status, long violations, List<String> examples, String detail) {
    }

    /**
     * What the issue tracker holds a flow to on this 2-core machine (issue 14): whole-stack CPU per order and p50/p99 at
     * the latency rate, and the max sustained rate.
     */
    public record Target(String flow, double cpuMsPerOrder, double p50Ms, double p99Ms, double maxRate) {
    }
}

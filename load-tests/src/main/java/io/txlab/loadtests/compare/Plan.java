package io.txlab.loadtests.compare;

import io.txlab.loadtests.config.WorkloadMix;

import java.util.List;

/**
 * How long each phase runs. {@link #quick()} fits five flows in about 5 minutes on 2 cores, {@link #full()} in 15.
 *
 * @param stackWarmupSeconds  one discarded run of every compared flow in turn, before anything is measured, its rate
 *                            ramping from a tenth of {@code stackWarmupRate} up to it: the services' JIT, pools,
 *                            Kafka consumers and Temporal pollers warm up on the paths all flows share (a cold stack
 *                            hit at the full rate at once only builds a queue), so the first flow measured is not
 *                            the one that pays for a cold stack
 * @param warmupSeconds       a discarded run of one flow before its latency repetitions
 * @param latencyRate         the latency scenario's open-model rate: below the saturation of the slowest flow on a
 *                            2-core machine, so it measures the flow rather than a queue (the throughput steps
 *                            find where queueing starts)
 * @param sharedChaos         true: one chaos run with every flow at once ({@code chaosRate} in total, the flows take
 *                            turns) and one kill that hits them all at the same instant (default order-service, the
 *                            one component every flow passes through); false: one chaos run per flow, each killing
 *                            the component that flow leans on most ({@link Comparison#DEFAULT_KILL})
 * @param crashPoints         per flow, a run in which a service is restarted with the {@code chaos} profile and one
 *                            named crash point armed, halts itself there, and is restarted disarmed
 * @param crashSeconds        length of a crash-point run (the halt comes with the first order that reaches the point)
 */
public record Plan(String mode, double stackWarmupSeconds, double stackWarmupRate, double warmupSeconds,
                   double latencyRate, double latencySeconds, int repetitions, List<Double> throughputRates,
                   double stepSeconds, boolean sharedChaos, double chaosRate, double chaosSeconds, double killAtSeconds,
                   double restartAfterSeconds, double recoveryDeadlineSeconds, boolean crashPoints, double crashSeconds,
                   double settleSeconds, double sloP99Ms, double errorBudgetPercent, WorkloadMix mix, long seed,
                   int waitForFinalSeconds, boolean chaos, boolean throughput) {

    public static Plan quick() {
        return new Plan("quick", 15, 25, 2, 20, 4, 3, List.of(50.0, 100.0, 200.0, 400.0), 3,
                true, 50, 30, 3, 2, 30, false, 20,
                20, 1000, 1, WorkloadMix.DEFAULT, 42, 10, true, true);
    }

    public static Plan full() {
        return new Plan("full", 30, 25, 8, 20, 8, 3, List.of(50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 600.0), 6,
                false, 50, 30, 5, 3, 30, true, 25,
                30, 1000, 1, WorkloadMix.DEFAULT, 42, 10, true, true);
    }
}

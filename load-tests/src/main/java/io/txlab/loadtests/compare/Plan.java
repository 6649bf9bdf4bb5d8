package io.txlab.loadtests.compare;

import io.txlab.loadtests.config.WorkloadMix;

import java.util.List;

/** How long each phase runs. {@link #quick()} fits five flows in about 5 minutes on 2 cores, {@link #full()} in 15. */
public record Plan(String mode, double warmupSeconds, double latencyRate, double latencySeconds, int repetitions,
                   List<Double> throughputRates, double stepSeconds, double chaosRate, double chaosSeconds,
                   double killAtSeconds, double restartAfterSeconds, double recoveryDeadlineSeconds,
                   double settleSeconds, double sloP99Ms, double errorBudgetPercent, WorkloadMix mix, long seed,
                   int waitForFinalSeconds, boolean chaos, boolean throughput) {

    public static Plan quick() {
        return new Plan("quick", 3, 50, 5, 3, List.of(100.0, 200.0, 400.0, 800.0), 3, 50, 15, 4, 2, 30, 20, 1000, 1,
                WorkloadMix.DEFAULT, 42, 10, true, true);
    }

    public static Plan full() {
        return new Plan("full", 10, 50, 15, 3, List.of(100.0, 200.0, 300.0, 400.0, 600.0, 800.0, 1200.0), 8, 50, 40, 10, 5,
                30, 60, 1000, 1, WorkloadMix.DEFAULT, 42, 10, true, true);
    }
}

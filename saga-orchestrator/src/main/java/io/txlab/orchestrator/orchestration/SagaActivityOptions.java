package io.txlab.orchestrator.orchestration;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Timeouts and retries of the saga's activities, in two classes (table and reasons in the orchestration ADR).
 *
 * <p>Business refusals are activity results, so none of these retries ever repeats a refusal: they only cover
 * infrastructure failures (a service down or restarting, a timed-out attempt). Changing these values does not break
 * the determinism of running workflows: activity options are not part of the replayed history's identity.
 */
final class SagaActivityOptions {

    /** How long a step before the pivot is tried at most (its schedule-to-close), unless the deadline is nearer. */
    static final Duration FORWARD_STEP_BOUND = Duration.ofMinutes(2);

    /**
     * Steps before the pivot (reserve stock, authorize payment). Bounded: after {@code scheduleToClose} the saga gives
     * up on the step, compensates and cancels the order with {@code TECHNICAL_FAILURE}. The bound covers the time a
     * killed service needs to come back, and includes the time a task waits in the queue while nobody polls it.
     */
    static ActivityOptions forwardStep(String taskQueue) {
        return forwardStep(taskQueue, null);
    }

    /**
     * {@link #forwardStep(String)} bounded by the time left until the order's deadline (adr/0038), when that is shorter
     * than the step's own bound; {@code untilDeadline} null for an order without one.
     */
    static ActivityOptions forwardStep(String taskQueue, Duration untilDeadline) {
        Duration bound = FORWARD_STEP_BOUND;
        if (untilDeadline != null && untilDeadline.compareTo(bound) < 0) {
            bound = untilDeadline.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : untilDeadline;
        }
        return ActivityOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setStartToCloseTimeout(Duration.ofSeconds(5))
                .setScheduleToCloseTimeout(bound)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(200))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(5))
                        .setMaximumAttempts(30)
                        .build())
                .build();
    }

    /**
     * Steps that must not be abandoned: compensations, {@code cancelOrder}, and {@code confirmOrder} (after the
     * payment pivot the saga only moves forward). One call with these options is a retry round; when a round fails
     * the workflow marks itself stuck, waits {@link #pauseBeforeRound} and starts another round, forever.
     */
    static ActivityOptions mustComplete(String taskQueue) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setScheduleToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(15)
                        .build())
                .build();
    }

    /**
     * Pause before retry round {@code round} (2, 3, ...) of a must-complete step: 1 min, 2 min, 4 min ... capped at
     * 1 h, so a step stuck for days adds a few events per hour to the history instead of thousands.
     */
    static Duration pauseBeforeRound(int round) {
        long minutes = 1L << Math.min(round - 2, 6);
        return Duration.ofMinutes(Math.min(minutes, 60));
    }

    private SagaActivityOptions() {
    }
}

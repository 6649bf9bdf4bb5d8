package io.txlab.platform.orchestration;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Connection and worker settings shared by every process of flow {@code orchestration}, prefix {@code txlab.temporal}.
 * A {@code null} (empty) worker setting keeps the Temporal SDK's own default, which is what the {@code production}
 * profile does.
 *
 * @param target                              host:port of the Temporal frontend ({@code TXLAB_TEMPORAL_TARGET})
 * @param namespace                           Temporal namespace ({@code TXLAB_TEMPORAL_NAMESPACE})
 * @param stickyQueueScheduleToStartTimeout   how long a workflow task waits on this worker's sticky queue before the
 *                                            server hands it to any worker; {@code 0s} locally, because the Java test
 *                                            server never falls back from a killed worker's sticky queue otherwise.
 *                                            Only workers hosting workflows have a sticky queue.
 * @param maxConcurrentWorkflowTaskExecutions worker slots for workflow tasks
 * @param maxConcurrentActivityExecutions     worker slots for activities
 * @param workerStartRetryInterval            pause between attempts to start the workers while Temporal is unreachable
 * @param shutdownTimeout                     how long shutdown waits for in-flight tasks before it abandons them
 */
@ConfigurationProperties("txlab.temporal")
public record TemporalProperties(
        @DefaultValue("127.0.0.1:17233") String target,
        @DefaultValue("default") String namespace,
        Duration stickyQueueScheduleToStartTimeout,
        Integer maxConcurrentWorkflowTaskExecutions,
        Integer maxConcurrentActivityExecutions,
        @DefaultValue("5s") Duration workerStartRetryInterval,
        @DefaultValue("10s") Duration shutdownTimeout) {

    public TemporalProperties {
        // An empty environment placeholder binds as blank, not as missing: fall back to the local stack then too.
        if (target == null || target.isBlank()) {
            target = "127.0.0.1:17233";
        }
        if (namespace == null || namespace.isBlank()) {
            namespace = "default";
        }
        if (workerStartRetryInterval == null) {
            workerStartRetryInterval = Duration.ofSeconds(5);
        }
        if (shutdownTimeout == null) {
            shutdownTimeout = Duration.ofSeconds(10);
        }
    }
}

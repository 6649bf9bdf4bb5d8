package io.txlab.orchestrator.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Connection and worker settings, prefix {@code txlab.temporal}. A {@code null} (empty) value keeps the Temporal SDK's
 * own default, which is what the {@code production} profile does for the worker settings.
 *
 * @param target                            host:port of the Temporal frontend ({@code TXLAB_TEMPORAL_TARGET})
 * @param namespace                         Temporal namespace ({@code TXLAB_TEMPORAL_NAMESPACE})
 * @param stickyQueueScheduleToStartTimeout how long a workflow task waits on this worker's sticky queue before the
 *                                          server hands it to any worker; {@code 0s} locally, because the Java test
 *                                          server never falls back from a killed worker's sticky queue otherwise
 * @param maxConcurrentWorkflowTaskExecutions worker slots for workflow tasks
 * @param maxConcurrentActivityExecutions   worker slots for activities (saga-orchestrator hosts none today)
 * @param shutdownTimeout                   how long shutdown waits for in-flight tasks before it abandons them
 */
@ConfigurationProperties("txlab.temporal")
public record TemporalProperties(String target, String namespace, Duration stickyQueueScheduleToStartTimeout,
        Integer maxConcurrentWorkflowTaskExecutions, Integer maxConcurrentActivityExecutions,
        Duration shutdownTimeout) {

    public TemporalProperties {
        if (target == null || target.isBlank()) {
            target = "127.0.0.1:17233";
        }
        if (namespace == null || namespace.isBlank()) {
            namespace = "default";
        }
        if (shutdownTimeout == null) {
            shutdownTimeout = Duration.ofSeconds(10);
        }
    }
}

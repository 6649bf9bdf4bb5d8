package io.txlab.order.orchestration;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of flow {@code orchestration} in order-service, prefix {@code txlab.orchestration}.
 *
 * @param launcherThreads       threads that start workflows after the order committed (the POST does not wait)
 * @param launcherQueueCapacity starts waiting for a thread; when full, a start is left to the recovery sweep
 * @param recoveryInterval      how often the sweep looks for PENDING orchestration orders without a saga
 * @param recoveryMinAge        orders younger than this are left to the launcher that is (or was) starting them
 * @param recoveryBatch         orders looked at per sweep, oldest first
 */
@ConfigurationProperties("txlab.orchestration")
public record OrchestrationProperties(
        @DefaultValue("4") int launcherThreads,
        @DefaultValue("10000") int launcherQueueCapacity,
        @DefaultValue("10s") Duration recoveryInterval,
        @DefaultValue("30s") Duration recoveryMinAge,
        @DefaultValue("500") int recoveryBatch) {
}

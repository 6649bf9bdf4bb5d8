package io.txlab.order.orchestration;

import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.orchestration.TemporalWorkers;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hosts {@link OrderActivitiesImpl} on task queue {@code order}; the worker itself (client, options, start when ready,
 * stop, health) is the platform's ({@code io.txlab.platform.orchestration}, settings {@code txlab.temporal.*}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlow(Flow.ORCHESTRATION)
@EnableConfigurationProperties(OrchestrationProperties.class)
public class OrchestrationConfiguration {

    @Bean
    TemporalWorkers orderActivitiesWorker(OrderActivitiesImpl activities) {
        return TemporalWorkers.activities(TaskQueues.ORDER, activities);
    }
}

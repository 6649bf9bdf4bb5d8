package io.txlab.inventory.orchestration;

import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.orchestration.TemporalWorkers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hosts {@link InventoryActivitiesImpl} on task queue {@code inventory}; the worker itself (client, options, start
 * when ready, stop, health) is the platform's ({@code io.txlab.platform.orchestration}, settings {@code txlab.temporal.*}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class OrchestrationWorkerConfiguration {

    @Bean
    TemporalWorkers inventoryActivitiesWorker(InventoryActivitiesImpl activities) {
        return TemporalWorkers.activities(TaskQueues.INVENTORY, activities);
    }
}

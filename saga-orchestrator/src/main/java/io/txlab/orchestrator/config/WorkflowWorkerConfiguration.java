package io.txlab.orchestrator.config;

import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.orchestrator.orchestration.PlaceOrderWorkflowImpl;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.orchestration.TemporalWorkers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * This process's part of flow {@code orchestration}: {@link PlaceOrderWorkflowImpl} on task queue
 * {@code saga-orchestrator}. Client, worker factory, worker options, start/stop and health come from the platform
 * ({@code io.txlab.platform.orchestration}, settings {@code txlab.temporal.*}), shared with the three services that host
 * the activities.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class WorkflowWorkerConfiguration {

    @Bean
    TemporalWorkers placeOrderWorkflowWorker() {
        return TemporalWorkers.workflows(TaskQueues.SAGA_ORCHESTRATOR, PlaceOrderWorkflowImpl.class);
    }
}

package io.txlab.orchestrator.config;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.orchestrator.placeorder.PlaceOrderWorkflowImpl;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Plain Temporal SDK wiring (no starter): service stubs → client → worker factory with one worker on task queue
 * {@code saga-orchestrator} hosting {@link PlaceOrderWorkflowImpl}. The worker starts polling when the application is
 * ready ({@link TemporalWorkerLifecycle}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TemporalProperties.class)
public class TemporalConfiguration {

    /** Connects lazily, so the application starts (and reports DOWN) while Temporal is unreachable. */
    @Bean(destroyMethod = "shutdown")
    WorkflowServiceStubs workflowServiceStubs(TemporalProperties properties) {
        return WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(properties.target()).build());
    }

    @Bean
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalProperties properties) {
        return WorkflowClient.newInstance(stubs,
                WorkflowClientOptions.newBuilder().setNamespace(properties.namespace()).build());
    }

    @Bean
    WorkerFactory workerFactory(WorkflowClient client, TemporalProperties properties) {
        WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder().build());
        Worker worker = factory.newWorker(TaskQueues.SAGA_ORCHESTRATOR, workerOptions(properties));
        worker.registerWorkflowImplementationTypes(PlaceOrderWorkflowImpl.class);
        return factory;
    }

    @Bean
    TemporalWorkerLifecycle temporalWorkerLifecycle(WorkerFactory factory, TemporalProperties properties) {
        return new TemporalWorkerLifecycle(factory, properties.shutdownTimeout());
    }

    @Bean
    TemporalHealthIndicator temporalHealthIndicator(WorkflowServiceStubs stubs, TemporalProperties properties) {
        return new TemporalHealthIndicator(stubs, properties);
    }

    /** Unset properties keep the SDK defaults (the production profile sets none of them). */
    static WorkerOptions workerOptions(TemporalProperties properties) {
        WorkerOptions.Builder options = WorkerOptions.newBuilder();
        if (properties.stickyQueueScheduleToStartTimeout() != null) {
            options.setStickyQueueScheduleToStartTimeout(properties.stickyQueueScheduleToStartTimeout());
        }
        if (properties.maxConcurrentWorkflowTaskExecutions() != null) {
            options.setMaxConcurrentWorkflowTaskExecutionSize(properties.maxConcurrentWorkflowTaskExecutions());
        }
        if (properties.maxConcurrentActivityExecutions() != null) {
            options.setMaxConcurrentActivityExecutionSize(properties.maxConcurrentActivityExecutions());
        }
        return options.build();
    }
}

package io.txlab.platform.orchestration;

import io.opentelemetry.api.OpenTelemetry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.txlab.contracts.Flow;
import io.txlab.platform.flows.ConditionalOnFlow;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Plain Temporal SDK wiring (no starter), one copy for the four processes of flow {@code orchestration}: service stubs
 * → client → worker factory with one worker per {@link TemporalWorkers} bean, started when the application is ready
 * ({@link TemporalWorkerLifecycle}), plus a health indicator named {@code temporal}. Client and workers carry the
 * trace context in Temporal headers ({@link TemporalTracing}).
 *
 * <p>Active when the Temporal SDK is on the classpath (platform declares it optional: a module opts in by depending on
 * {@code io.temporal:temporal-sdk}) and {@code orchestration} is in {@code txlab.flows.enabled}.
 */
@AutoConfiguration
@ConditionalOnClass(WorkflowClient.class)
@ConditionalOnFlow(Flow.ORCHESTRATION)
@EnableConfigurationProperties(TemporalProperties.class)
public class TemporalAutoConfiguration {

    /** Connects lazily, so the application starts (and reports DOWN) while Temporal is unreachable. */
    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    WorkflowServiceStubs workflowServiceStubs(TemporalProperties properties) {
        return WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(properties.target()).build());
    }

    /** Carries the trace of the caller into workflows and activities; none when tracing is off. */
    @Bean
    @ConditionalOnMissingBean
    TemporalTracing temporalTracing(ObjectProvider<OpenTelemetry> openTelemetry) {
        return TemporalTracing.over(openTelemetry.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalProperties properties, TemporalTracing tracing) {
        return WorkflowClient.newInstance(stubs, tracing.apply(
                WorkflowClientOptions.newBuilder().setNamespace(properties.namespace())).build());
    }

    /** Stopped by {@link TemporalWorkerLifecycle}, not by Spring's inferred {@code shutdown()} destroy method. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    WorkerFactory workerFactory(WorkflowClient client, TemporalProperties properties, TemporalTracing tracing,
                                ObjectProvider<TemporalWorkers> contributions) {
        WorkerFactory factory = WorkerFactory.newInstance(client,
                tracing.apply(WorkerFactoryOptions.newBuilder()).build());
        Set<String> queues = new HashSet<>();
        for (TemporalWorkers contribution : contributions.orderedStream().toList()) {
            // One worker per queue and process: a second newWorker on the same queue would throw anyway.
            if (!queues.add(contribution.taskQueue())) {
                throw new IllegalStateException("two TemporalWorkers beans for task queue " + contribution.taskQueue());
            }
            contribution.register(factory.newWorker(contribution.taskQueue(), workerOptions(properties)));
        }
        return factory;
    }

    @Bean
    @ConditionalOnMissingBean
    TemporalWorkerLifecycle temporalWorkerLifecycle(WorkerFactory factory, TemporalProperties properties,
                                                    ObjectProvider<TemporalWorkers> contributions) {
        List<String> queues = contributions.orderedStream().map(TemporalWorkers::taskQueue).toList();
        return new TemporalWorkerLifecycle(factory, queues, properties.workerStartRetryInterval(),
                properties.shutdownTimeout());
    }

    /** Unset properties keep the SDK defaults (the production profile sets none of them). */
    public static WorkerOptions workerOptions(TemporalProperties properties) {
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

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class TemporalHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "temporalHealthIndicator")
        HealthIndicator temporalHealthIndicator(WorkflowServiceStubs stubs, TemporalProperties properties,
                                                TemporalWorkerLifecycle workers) {
            return new TemporalHealthIndicator(stubs, properties, workers);
        }
    }
}

package io.txlab.payment.orchestration;

import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.TaskQueues;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.orchestration.TemporalWorkers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Hosts {@link PaymentActivitiesImpl} on task queue {@code payment}; the worker itself (client, options, start when
 * ready, stop, health) is the platform's ({@code io.txlab.platform.orchestration}, settings {@code txlab.temporal.*}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnFlow(Flow.ORCHESTRATION)
public class OrchestrationWorkerConfiguration {

    @Bean
    TemporalWorkers paymentActivitiesWorker(PaymentActivitiesImpl activities) {
        return TemporalWorkers.activities(TaskQueues.PAYMENT, activities);
    }
}

package io.txlab.platform.orchestration;

import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when the Temporal frontend answers for our namespace within two seconds and the workers are polling. Uses
 * {@code DescribeNamespace} rather than the gRPC health service because the Java test server used locally does not
 * implement the latter.
 *
 * <p>Not part of the readiness group on purpose: with Temporal down, this process still serves every other flow and
 * its REST API, and orchestration orders wait (PENDING) until Temporal is back; taking the pod out of the load
 * balancer would turn a Temporal outage into an outage of all five flows.
 */
class TemporalHealthIndicator implements HealthIndicator {

    private final WorkflowServiceStubs stubs;
    private final TemporalProperties properties;
    private final TemporalWorkerLifecycle workers;

    TemporalHealthIndicator(WorkflowServiceStubs stubs, TemporalProperties properties,
                            TemporalWorkerLifecycle workers) {
        this.stubs = stubs;
        this.properties = properties;
        this.workers = workers;
    }

    @Override
    public Health health() {
        Health.Builder health;
        try {
            stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
                    .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(properties.namespace()).build());
            health = workers.isStarted() || workers.taskQueues().isEmpty() ? Health.up() : Health.down();
        } catch (RuntimeException e) {
            health = Health.down(e);
        }
        return health.withDetail("target", properties.target())
                .withDetail("namespace", properties.namespace())
                .withDetail("taskQueues", workers.taskQueues())
                .withDetail("workersStarted", workers.isStarted())
                .build();
    }
}

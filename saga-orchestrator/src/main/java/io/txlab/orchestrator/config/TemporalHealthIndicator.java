package io.txlab.orchestrator.config;

import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP when the Temporal frontend answers for our namespace within two seconds. Uses {@code DescribeNamespace} rather
 * than the gRPC health service because the Java test server used locally does not implement the latter.
 */
class TemporalHealthIndicator implements HealthIndicator {

    private final WorkflowServiceStubs stubs;
    private final TemporalProperties properties;

    TemporalHealthIndicator(WorkflowServiceStubs stubs, TemporalProperties properties) {
        this.stubs = stubs;
        this.properties = properties;
    }

    @Override
    public Health health() {
        try {
            stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
                    .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(properties.namespace()).build());
            return Health.up().withDetail("target", properties.target())
                    .withDetail("namespace", properties.namespace()).build();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("target", properties.target())
                    .withDetail("namespace", properties.namespace()).build();
        }
    }
}

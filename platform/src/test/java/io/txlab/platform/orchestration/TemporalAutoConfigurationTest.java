package io.txlab.platform.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The shared wiring, and an application that must keep running while Temporal is unreachable. */
class TemporalAutoConfigurationTest {

    /** Nothing listens on port 1 of the loopback: every call fails at once with UNAVAILABLE. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TemporalAutoConfiguration.class))
            .withPropertyValues("txlab.temporal.target=127.0.0.1:1", "txlab.temporal.worker-start-retry-interval=50ms")
            .withBean("queueA", TemporalWorkers.class, () -> TemporalWorkers.activities("a", new Object[0]));

    @Test
    void providesOneClientAndOneWorkerPerContributedQueue() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(WorkflowClient.class).hasBean("temporalHealthIndicator");
            WorkerFactory factory = context.getBean(WorkerFactory.class);
            assertThat(factory.getWorker("a")).isNotNull();
            assertThat(context.getBean(TemporalWorkerLifecycle.class).taskQueues()).containsExactly("a");
        });
    }

    @Test
    void disabledLeavesTemporalOut() {
        runner.withPropertyValues("txlab.flows.enabled=twopc,cockroach")
                .run(context -> assertThat(context).doesNotHaveBean(WorkflowClient.class)
                        .doesNotHaveBean(WorkerFactory.class).doesNotHaveBean("temporalHealthIndicator"));
    }

    @Test
    void unsetWorkerSettingsKeepTheSdkDefaults() {
        runner.run(context -> {
            TemporalProperties properties = context.getBean(TemporalProperties.class);
            assertThat(properties.stickyQueueScheduleToStartTimeout()).isNull();
            assertThat(TemporalAutoConfiguration.workerOptions(properties).getStickyQueueScheduleToStartTimeout())
                    .isEqualTo(io.temporal.worker.WorkerOptions.newBuilder().build()
                            .getStickyQueueScheduleToStartTimeout());
        });
        runner.withPropertyValues("txlab.temporal.sticky-queue-schedule-to-start-timeout=0s").run(context ->
                assertThat(TemporalAutoConfiguration.workerOptions(context.getBean(TemporalProperties.class))
                        .getStickyQueueScheduleToStartTimeout()).isEqualTo(Duration.ZERO));
    }

    @Test
    void temporalDownMeansWorkersNotStartedAndHealthDownButTheApplicationRuns() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            TemporalWorkerLifecycle lifecycle = context.getBean(TemporalWorkerLifecycle.class);
            lifecycle.start();
            // Several retry rounds pass; none of them may throw out of the lifecycle or start the factory.
            long deadline = System.nanoTime() + Duration.ofMillis(300).toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(lifecycle.isStarted()).isFalse();
                Thread.sleep(20);
            }
            Health health = context.getBean("temporalHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("workersStarted", false)
                    .containsEntry("target", "127.0.0.1:1");
        });
    }
}

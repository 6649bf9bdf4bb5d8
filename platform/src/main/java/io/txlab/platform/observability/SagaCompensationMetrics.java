package io.txlab.platform.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.Flow;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The compensation counters, one definition for every service that runs a compensation (inventory's stock release,
 * payment's refund), so that the names and tags are the same whichever flow and service ran it:
 * <ul>
 *   <li>{@code txlab.saga.compensations} (flow, step): compensations that ran and committed;</li>
 *   <li>{@code txlab.saga.compensation.failures} (flow, step): compensation attempts that threw (each failed
 *       attempt counts; the flow retries it - Kafka redelivery, Temporal activity retry).</li>
 * </ul>
 * Steps are named like the saga's steps: {@link #RELEASE_STOCK}, {@link #REFUND_PAYMENT}.
 */
public final class SagaCompensationMetrics {

    public static final String COMPENSATIONS = "txlab.saga.compensations";
    public static final String FAILURES = "txlab.saga.compensation.failures";
    public static final String RELEASE_STOCK = "release-stock";
    public static final String REFUND_PAYMENT = "refund-payment";

    private final MeterRegistry registry;

    /**
     * @param step  the step this service compensates
     * @param flows the flows in which it does, registered at zero so that dashboards see zeros rather than gaps
     */
    public SagaCompensationMetrics(MeterRegistry registry, String step, Flow... flows) {
        this.registry = registry;
        for (Flow flow : flows) {
            ran(flow, step);
            failed(flow, step);
        }
    }

    /**
     * Runs {@code compensation} and counts it: as run once the surrounding transaction commits (at once without
     * one), as failed when it throws (the exception propagates unchanged).
     */
    public <T> T run(Flow flow, String step, Supplier<T> compensation) {
        T result;
        try {
            result = compensation.get();
        } catch (RuntimeException | Error e) {
            failed(flow, step).increment();
            throw e;
        }
        Counter ran = ran(flow, step);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    ran.increment();
                }
            });
        } else {
            ran.increment();
        }
        return result;
    }

    private Counter ran(Flow flow, String step) {
        return Counter.builder(COMPENSATIONS)
                .description("saga compensations that ran and committed")
                .tag("flow", flow.id())
                .tag("step", step)
                .register(registry);
    }

    private Counter failed(Flow flow, String step) {
        return Counter.builder(FAILURES)
                .description("saga compensation attempts that failed (each is retried by its flow)")
                .tag("flow", flow.id())
                .tag("step", step)
                .register(registry);
    }
}

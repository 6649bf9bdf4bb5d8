package io.txlab.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.txlab.contracts.Flow;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

class SagaCompensationMetricsTest {

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final SagaCompensationMetrics metrics = new SagaCompensationMetrics(meters,
            SagaCompensationMetrics.RELEASE_STOCK, Flow.CHOREOGRAPHY, Flow.OUTBOX);

    @Test
    void theFlowsItCompensatesStartAtZero() {
        assertThat(ran(Flow.CHOREOGRAPHY)).isZero();
        assertThat(failed(Flow.OUTBOX)).isZero();
    }

    @Test
    void aCompensationOutsideATransactionCountsAtOnce() {
        assertThat(metrics.run(Flow.OUTBOX, SagaCompensationMetrics.RELEASE_STOCK, () -> "released"))
                .isEqualTo("released");

        assertThat(ran(Flow.OUTBOX)).isEqualTo(1);
        assertThat(failed(Flow.OUTBOX)).isZero();
    }

    @Test
    void aFailedAttemptCountsAsAFailureAndPropagates() {
        assertThatThrownBy(() -> metrics.run(Flow.CHOREOGRAPHY, SagaCompensationMetrics.RELEASE_STOCK, () -> {
            throw new IllegalStateException("database down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("database down");

        assertThat(failed(Flow.CHOREOGRAPHY)).isEqualTo(1);
        assertThat(ran(Flow.CHOREOGRAPHY)).isZero();
    }

    @Test
    void insideATransactionItCountsOnlyAtCommit() {
        TransactionSynchronizationManager.initSynchronization();
        try {
            metrics.run(Flow.CHOREOGRAPHY, SagaCompensationMetrics.RELEASE_STOCK, () -> "released");
            assertThat(ran(Flow.CHOREOGRAPHY)).isZero();

            List<TransactionSynchronization> synchronizations = TransactionSynchronizationManager.getSynchronizations();
            synchronizations.forEach(TransactionSynchronization::afterCommit);
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        assertThat(ran(Flow.CHOREOGRAPHY)).isEqualTo(1);
    }

    private double ran(Flow flow) {
        return meters.get(SagaCompensationMetrics.COMPENSATIONS)
                .tags("flow", flow.id(), "step", SagaCompensationMetrics.RELEASE_STOCK).counter().count();
    }

    private double failed(Flow flow) {
        return meters.get(SagaCompensationMetrics.FAILURES)
                .tags("flow", flow.id(), "step", SagaCompensationMetrics.RELEASE_STOCK).counter().count();
    }
}

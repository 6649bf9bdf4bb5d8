package io.txlab.inventory.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.inventory.StockLine;
import io.txlab.contracts.orchestration.ReleaseStock;
import io.txlab.contracts.orchestration.ReserveStock;
import io.txlab.inventory.InventoryTestContext;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The orchestration saga's stock release counts as {@code txlab.saga.compensations{flow, step=release-stock}}. */
class ReleaseMetricsIT extends InventoryTestContext {

    @Autowired
    InventoryActivitiesImpl activities;

    @Autowired
    MeterRegistry meters;

    @Test
    void aReleaseCountsOneCompensationOfTheOrchestrationFlow() {
        UUID orderId = UUID.randomUUID();
        activities.reserveStock(ReserveStock.forOrder(orderId, List.of(new StockLine("SKU-0015", 1))), 1);
        double before = compensations();

        activities.releaseStock(ReleaseStock.forOrder(orderId));

        assertThat(compensations()).isEqualTo(before + 1);
        assertThat(meters.get("txlab.saga.compensation.failures")
                .tags("flow", "orchestration", "step", "release-stock").counter().count()).isZero();
    }

    private double compensations() {
        return meters.get("txlab.saga.compensations").tags("flow", "orchestration", "step", "release-stock")
                .counter().count();
    }
}

package io.txlab.payment.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.orchestration.AuthorizePayment;
import io.txlab.contracts.orchestration.RefundPayment;
import io.txlab.payment.PaymentTestContext;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The orchestration saga's refund counts as {@code txlab.saga.compensations{flow, step=refund-payment}}. */
class RefundMetricsIT extends PaymentTestContext {

    @Autowired
    PaymentActivitiesImpl activities;

    @Autowired
    MeterRegistry meters;

    @Test
    void aRefundCountsOneCompensationOfTheOrchestrationFlow() {
        UUID orderId = UUID.randomUUID();
        activities.authorizePayment(AuthorizePayment.forOrder(orderId, "C-0315", new BigDecimal("7.00")));
        double before = compensations();

        activities.refundPayment(RefundPayment.forOrder(orderId));

        assertThat(compensations()).isEqualTo(before + 1);
        assertThat(meters.get("txlab.saga.compensation.failures")
                .tags("flow", "orchestration", "step", "refund-payment").counter().count()).isZero();
    }

    private double compensations() {
        return meters.get("txlab.saga.compensations").tags("flow", "orchestration", "step", "refund-payment")
                .counter().count();
    }
}

package io.txlab.systemtests.choreography;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.CrashPointNames;
import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.systemtests.support.Orders;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Flow {@code choreography} end to end: services react to each other's Kafka events, each publishing directly after
 * its local commit.
 */
class ChoreographyFlowIT extends EventDrivenFlowScenarios {

    @Override
    protected Flow flow() {
        return Flow.CHOREOGRAPHY;
    }

    /**
     * The direct-publish loss window (ADR 5), shown rather than tested away: payment-service halts after the payment
     * committed and before PaymentAuthorized is published. Its inbox already holds the StockReserved it consumed, so
     * the redelivery after the restart is dropped as a duplicate and nothing publishes the event again: the order
     * stays PENDING with the money taken and the stock held. The {@code outbox} flow closes this window.
     */
    @Override
    protected void crashMidFlow() throws InterruptedException {
        String sku = randomSku();
        stack.restart(Topology.PAYMENT_SERVICE, Map.of("SPRING_PROFILES_ACTIVE", "chaos",
                "TXLAB_CHAOS_CRASH_POINTS", CrashPointNames.CHOREOGRAPHY_AFTER_COMMIT_BEFORE_PUBLISH));
        UUID order;
        try {
            order = place(Orders.RICH, List.of(Orders.line(sku, 1)));
            await("payment-service halted at the crash point", () -> !stack.isAlive(Topology.PAYMENT_SERVICE));
        } finally {
            stack.restart(Topology.PAYMENT_SERVICE);
        }
        assertThat(payment("SELECT count(*) FROM payment WHERE order_id = ? AND status = 'AUTHORIZED'", order))
                .as("the payment committed before the halt").isEqualTo(1);

        // Long enough for the restarted consumer to be handed its partitions and see the redelivery.
        Thread.sleep(15_000);

        assertThat(stack.orders().get(order).orderStatus()).as("the event is lost: nobody confirms the order")
                .isEqualTo("PENDING");
        assertThat(inventory("SELECT count(*) FROM reservation WHERE order_id = ? AND status = 'RESERVED'", order))
                .as("its stock stays held").isEqualTo(1);
    }
}

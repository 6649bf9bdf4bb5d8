package io.txlab.systemtests.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.devstack.Topology;
import io.txlab.systemtests.support.Orders;
import io.txlab.systemtests.support.OrdersClient;
import io.txlab.systemtests.support.SystemStack;
import org.junit.jupiter.api.Test;

/** The whole stack comes up from the built jars, answers, and a killed service comes back with its data. */
class StackSmokeIT {

    private final SystemStack stack = SystemStack.get();

    @Test
    void everyServiceAnswersAndInvalidOrdersAreRefusedWithProblems() {
        OrdersClient.Response missingKey = stack.orders().getPath("/orders/00000000-0000-0000-0000-000000000000");
        assertThat(missingKey.status()).isEqualTo(404);
        assertThat(missingKey.body().path("type").asString()).contains("txlab.io/problems");

        OrdersClient.Response unknownSku = stack.orders().place(Flow.TWOPC, Orders.RICH, Orders.oneOf("NO-SUCH-SKU"));
        assertThat(unknownSku.status()).as(unknownSku.body().toString()).isIn(422);
    }

    @Test
    void aKilledServiceRestartsHealthyWithItsDataIntact() throws InterruptedException {
        long accounts = stack.queryLong(Topology.POSTGRES_PAYMENT, "payment", "SELECT count(*) FROM account");
        long killedAt = stack.kill(Topology.PAYMENT_SERVICE);
        try {
            assertThat(killedAt).isPositive();
            // SIGKILL is delivered asynchronously: wait (bounded) for the process to be gone.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (stack.isAlive(Topology.PAYMENT_SERVICE) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(stack.isAlive(Topology.PAYMENT_SERVICE)).as("payment-service alive 10 s after SIGKILL").isFalse();
        } finally {
            // The stack is shared by every end-to-end test: never leave a component down.
            stack.restart(Topology.PAYMENT_SERVICE);
        }
        assertThat(stack.isAlive(Topology.PAYMENT_SERVICE)).isTrue();
        assertThat(stack.queryLong(Topology.POSTGRES_PAYMENT, "payment", "SELECT count(*) FROM account"))
                .isEqualTo(accounts);
    }
}

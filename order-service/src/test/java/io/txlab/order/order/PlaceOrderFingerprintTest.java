package io.txlab.order.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlaceOrderFingerprintTest {

    @Test
    void theSameOrderWrittenWithOtherPriceScalesIsTheSameRequest() {
        assertThat(OrderService.fingerprint(order("C-0001", Flow.OUTBOX, "12.5")))
                .isEqualTo(OrderService.fingerprint(order("C-0001", Flow.OUTBOX, "12.50")));
    }

    @Test
    void anyDifferenceMakesAnotherRequest() {
        String base = OrderService.fingerprint(order("C-0001", Flow.OUTBOX, "12.50"));

        assertThat(OrderService.fingerprint(order("C-0002", Flow.OUTBOX, "12.50"))).isNotEqualTo(base);
        assertThat(OrderService.fingerprint(order("C-0001", Flow.TWOPC, "12.50"))).isNotEqualTo(base);
        assertThat(OrderService.fingerprint(order("C-0001", Flow.OUTBOX, "12.51"))).isNotEqualTo(base);
    }

    @Test
    void totalIsTheSumOfTheLines() {
        PlaceOrder cmd = new PlaceOrder("C-0001", Flow.OUTBOX, List.of(
                new OrderLine("SKU-0001", 2, new BigDecimal("12.5")),
                new OrderLine("SKU-0002", 3, new BigDecimal("0.01"))));

        assertThat(cmd.total()).isEqualTo(new BigDecimal("25.03"));
    }

    private static PlaceOrder order(String customer, Flow flow, String price) {
        return new PlaceOrder(customer, flow, List.of(new OrderLine("SKU-0001", 2, new BigDecimal(price))));
    }
}

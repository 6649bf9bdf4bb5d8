package io.txlab.loadtests.scenarios;

import io.txlab.loadtests.config.WorkloadMix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class OrderGeneratorTest {

    private static List<OrderGenerator.GeneratedOrder> take(long seed, int n) {
        OrderGenerator g = new OrderGenerator("outbox", WorkloadMix.DEFAULT, seed, "run");
        return IntStream.range(0, n).mapToObj(i -> g.nextOrder()).toList();
    }

    @Test
    void theSameSeedGivesTheSameOrders() {
        assertThat(take(7, 200)).isEqualTo(take(7, 200));
        assertThat(take(7, 200)).isNotEqualTo(take(8, 200));
    }

    @Test
    void followsTheMixWithTheSeededCustomersAndSkus() {
        List<OrderGenerator.GeneratedOrder> orders = take(42, 10_000);
        Map<OrderKind, Long> kinds = orders.stream().collect(Collectors.groupingBy(OrderGenerator.GeneratedOrder::kind, Collectors.counting()));
        assertThat(kinds.get(OrderKind.SUCCEED)).isBetween(8200L, 8800L);
        assertThat(kinds.get(OrderKind.DECLINED)).isBetween(800L, 1200L);
        assertThat(kinds.get(OrderKind.OUT_OF_STOCK)).isBetween(350L, 650L);
        assertThat(orders).allSatisfy(o -> {
            switch (o.kind()) {
                case DECLINED -> assertThat(o.customerId()).matches("BROKE-(0[1-9]|10)");
                case OUT_OF_STOCK -> assertThat(o.lines()).anySatisfy(l -> assertThat(l.sku()).matches("SOLDOUT-(0[1-9]|10)"));
                case SUCCEED -> {
                    assertThat(o.customerId()).matches("C-\\d{4}");
                    assertThat(o.lines()).allSatisfy(l -> assertThat(l.sku()).matches("SKU-\\d{4}"));
                }
            }
            assertThat(o.body()).contains("\"flow\":\"outbox\"");
        });
        assertThat(orders.stream().map(OrderGenerator.GeneratedOrder::idempotencyKey).distinct()).hasSize(10_000);
    }

    @Test
    void severalFlowsTakeTurnsWithoutChangingTheOrders() {
        OrderGenerator mixed = new OrderGenerator(List.of("choreography", "twopc"), WorkloadMix.DEFAULT, 7, "run");
        List<OrderGenerator.GeneratedOrder> orders = IntStream.range(0, 6).mapToObj(i -> mixed.nextOrder()).toList();

        assertThat(orders).extracting(OrderGenerator.GeneratedOrder::flow)
                .containsExactly("choreography", "twopc", "choreography", "twopc", "choreography", "twopc");
        assertThat(orders.get(1).body()).contains("\"flow\":\"twopc\"");
        assertThat(orders).extracting(OrderGenerator.GeneratedOrder::customerId)
                .isEqualTo(take(7, 6).stream().map(OrderGenerator.GeneratedOrder::customerId).toList());
    }

    @Test
    void everyOrderHasItsOwnTrace() {
        List<OrderGenerator.GeneratedOrder> orders = take(42, 1000);

        assertThat(orders).allSatisfy(o -> {
            assertThat(o.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            assertThat(o.traceparent()).matches("00-" + o.traceId() + "-[0-9a-f]{16}-01");
        });
        assertThat(orders.stream().map(OrderGenerator.GeneratedOrder::traceId).distinct()).hasSize(1000);
        assertThat(take(42, 10)).isEqualTo(take(42, 10));
        OrderGenerator otherRun = new OrderGenerator("outbox", WorkloadMix.DEFAULT, 42, "another-run");
        assertThat(otherRun.nextOrder().traceId()).as("the same seed in another run must not reuse a trace id")
                .isNotEqualTo(orders.get(0).traceId());
    }
}

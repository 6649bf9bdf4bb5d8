package io.txlab.loadtests.compare;

import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatsTest {

    private static OrderSample sample(long seq, String created, String completed, Outcome outcome) {
        return new OrderSample(seq, "k" + seq, "SUCCEED", "outbox", 0, 50_000, 201, 200, "id" + seq, outcome, "CONFIRMED", "",
                created, completed, "", "", false, 0, 0);
    }

    @Test
    void theServerP50IsTheMedianOfCompletedMinusCreatedOverFinalOrders() {
        List<OrderSample> samples = List.of(
                sample(1, "2026-12-03T06:00:00.000Z", "2026-12-03T06:00:00.010Z", Outcome.CONFIRMED),
                sample(2, "2026-12-03T06:00:01.000Z", "2026-12-03T06:00:01.030Z", Outcome.CANCELLED),
                sample(3, "2026-12-03T06:00:02.000+00:00", "2026-12-03T06:00:02.020+00:00", Outcome.CONFIRMED),
                sample(4, "2026-12-03T06:00:03.000Z", "", Outcome.UNFINISHED));

        assertThat(Stats.serverP50Ms(samples)).isEqualTo(20.0);
    }

    @Test
    void noServerFigureWhenMostFinalOrdersLackTimestamps() {
        List<OrderSample> samples = List.of(
                sample(1, "2026-12-03T06:00:00.000Z", "2026-12-03T06:00:00.010Z", Outcome.CONFIRMED),
                sample(2, "", "", Outcome.CONFIRMED),
                sample(3, "", "", Outcome.CONFIRMED));

        assertThat(Stats.serverP50Ms(samples)).isNull();
        assertThat(Stats.serverP50Ms(List.of())).isNull();
    }
}

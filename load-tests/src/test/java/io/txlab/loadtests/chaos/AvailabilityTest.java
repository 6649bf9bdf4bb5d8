package io.txlab.loadtests.chaos;

import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;
import io.txlab.loadtests.report.Results;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AvailabilityTest {

    private static OrderSample sample(long startMs, String kind, int postStatus, String orderId, Outcome seen, String status) {
        return new OrderSample(startMs, "k" + startMs, kind, "twopc", startMs, 50_000, postStatus, 200, orderId, seen, status, "",
                "", "", "", "", false, 0, 0);
    }

    @Test
    void countsTheWindowsOrdersByWhatTheFlowDidWithThem() {
        List<OrderSample> samples = List.of(
                sample(900, "SUCCEED", 201, "before", Outcome.CONFIRMED, "CONFIRMED"),       // before the window
                sample(1000, "SUCCEED", 201, "a", Outcome.UNFINISHED, "PENDING"),              // confirmed later, by the store
                sample(1100, "DECLINED", 201, "b", Outcome.CANCELLED, "CANCELLED"),          // cancelled as asked
                sample(1200, "SUCCEED", 201, "c", Outcome.CANCELLED, "CANCELLED"),           // the fault cancelled it
                sample(1300, "SUCCEED", 503, null, Outcome.ERROR, ""),                      // refused
                sample(1400, "OUT_OF_STOCK", 201, "d", Outcome.UNFINISHED, "PENDING"),          // still pending at the deadline
                sample(2000, "SUCCEED", 201, "after", Outcome.CONFIRMED, "CONFIRMED"));      // after the window
        Map<String, String> store = Map.of("a", "CONFIRMED", "b", "CANCELLED", "c", "CANCELLED", "d", "PENDING");

        Results.Availability during = Availability.of(samples, store, 1000, 2000);

        assertThat(during).isEqualTo(new Results.Availability(5, 4, 2, 1, 1));
        assertThat(during.acceptedShare()).isEqualTo(0.8);
        assertThat(during.asAskedShare()).isEqualTo(0.4);
    }

    @Test
    void anOrderTheStoreDoesNotKnowCountsAsTheLoadGeneratorSawIt() {
        List<OrderSample> samples = List.of(sample(0, "SUCCEED", 201, "x", Outcome.CONFIRMED, "CONFIRMED"),
                sample(1, "SUCCEED", 201, "y", Outcome.UNFINISHED, "PENDING"));
        assertThat(Availability.of(samples, Map.of(), 0, 10)).isEqualTo(new Results.Availability(2, 2, 1, 0, 1));
        assertThat(Availability.of(List.of(), Map.of(), 0, 10).acceptedShare()).isNull();
    }
}

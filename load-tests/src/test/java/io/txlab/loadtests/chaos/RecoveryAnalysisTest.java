package io.txlab.loadtests.chaos;

import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryAnalysisTest {

    private static OrderSample sample(long startMs, long latencyMs, Outcome outcome) {
        return new OrderSample(startMs, "k" + startMs, "SUCCEED", "outbox", startMs, latencyMs * 1000, 201, 200, "id", outcome, "", "",
                "", "", "", "", false, 0, 0);
    }

    @Test
    void p99IsBackUnderTheSloFromTheFirstWindowThatStaysGood() {
        List<OrderSample> samples = new ArrayList<>();
        for (long t = 0; t < 20_000; t += 20) {
            boolean outage = t >= 5_000 && t < 9_000;
            samples.add(sample(t, outage ? 4_000 : 20, t >= 6_000 && t < 7_000 ? Outcome.ERROR : Outcome.CONFIRMED));
        }

        Double back = RecoveryAnalysis.p99BackUnderSlo(samples, 0, 5_000, 1000);

        assertThat(back).isEqualTo(4.0);
        assertThat(RecoveryAnalysis.timeline(samples, 0)).hasSize(20);
        assertThat(RecoveryAnalysis.timeline(samples, 0).get(6).bad()).isEqualTo(50);
    }

    @Test
    void neverRecoveringIsNull() {
        List<OrderSample> samples = new ArrayList<>();
        for (long t = 0; t < 10_000; t += 20) {
            samples.add(sample(t, t >= 3_000 ? 5_000 : 10, Outcome.CONFIRMED));
        }
        assertThat(RecoveryAnalysis.p99BackUnderSlo(samples, 0, 3_000, 1000)).isNull();
    }
}

package io.txlab.loadtests.simulations;

import io.txlab.loadtests.compare.GatlingRunner;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.config.WorkloadMix;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;
import io.txlab.loadtests.support.OrderServiceStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole load pipeline against a loopback stub: Gatling runs in-process, every order is recorded, HTML is kept. */
class OrderSimulationTest {

    @TempDir
    Path dir;

    @Test
    void recordsEveryOrderWithItsFinalStateAndKeepsTheHtmlReport() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(20, "none")) {
            LoadSettings settings = new LoadSettings("choreography", 40, Duration.ofSeconds(2), WorkloadMix.DEFAULT, 7,
                    stub.baseUrl(), "t1", dir.resolve("samples.csv"), 3, 10_000, 1, LoadSettings.TraceMode.NONE, false);

            GatlingRunner.Run run = new GatlingRunner(dir.resolve("gatling")).run(settings, true);

            assertThat(run.samples()).hasSize(80);
            Map<Outcome, Long> outcomes = run.samples().stream()
                    .collect(Collectors.groupingBy(OrderSample::outcome, Collectors.counting()));
            assertThat(outcomes.keySet()).containsOnly(Outcome.CONFIRMED, Outcome.CANCELLED);
            assertThat(run.samples()).allSatisfy(s -> {
                assertThat(s.latencyMicros()).isGreaterThanOrEqualTo(20_000);
                assertThat(s.completedAt()).isNotEmpty();
                assertThat(s.idempotencyKey()).startsWith("t1-");
            });
            assertThat(run.samples().stream().filter(s -> s.kind().equals("SUCCEED")))
                    .allSatisfy(s -> assertThat(s.outcome()).isEqualTo(Outcome.CONFIRMED));
            assertThat(run.assertionsPassed()).isTrue();
            assertThat(run.htmlReport()).isPresent();
            assertThat(Files.exists(run.htmlReport().get().resolve("index.html"))).isTrue();
            assertThat(stub.traceparents()).as("no traceparent unless the run starts traces").isEmpty();
        }
    }

    @Test
    void severalFlowsTakeTurnsAndEveryOrderCarriesItsOwnTraceHalfOfThemSampled() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(5, "none")) {
            LoadSettings settings = new LoadSettings("outbox,twopc,cockroach", 30, Duration.ofSeconds(2),
                    WorkloadMix.DEFAULT, 7, stub.baseUrl(), "t3", dir.resolve("mixed.csv"), 3, 10_000, 1,
                    LoadSettings.TraceMode.AB, false);

            GatlingRunner.Run run = new GatlingRunner(dir.resolve("gatling")).run(settings, false);

            assertThat(run.samples()).hasSize(60);
            assertThat(run.samples().stream().collect(Collectors.groupingBy(OrderSample::flow, Collectors.counting())))
                    .containsOnly(Map.entry("outbox", 20L), Map.entry("twopc", 20L), Map.entry("cockroach", 20L));
            assertThat(run.samples()).allSatisfy(s -> {
                assertThat(stub.flows().get(s.orderId())).isEqualTo(s.flow());
                String header = stub.traceparents().get(s.orderId());
                assertThat(header).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
                assertThat(header).startsWith("00-" + s.traceId() + "-").endsWith(s.traced() ? "-01" : "-00");
                assertThat(s.traced()).isEqualTo(s.seq() % 2 == 1);
            });
        }
    }

    @Test
    void aRampedRunStartsSlowAndEndsAtTheFullRate() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(5, "none")) {
            LoadSettings settings = new LoadSettings("cockroach", 40, Duration.ofSeconds(2), WorkloadMix.DEFAULT, 7,
                    stub.baseUrl(), "t5", dir.resolve("ramp.csv"), 3, 10_000, 1, LoadSettings.TraceMode.NONE, true);

            GatlingRunner.Run run = new GatlingRunner(dir.resolve("gatling")).run(settings, false);

            assertThat(settings.expectedOrders()).isEqualTo(44);
            assertThat(run.samples().size()).isBetween(40, 48);
            long t0 = run.samples().stream().mapToLong(OrderSample::startEpochMs).min().orElseThrow();
            long firstHalf = run.samples().stream().filter(s -> s.startEpochMs() < t0 + 1000).count();
            assertThat(firstHalf).as("a ramp puts fewer arrivals in its first half").isLessThan(run.samples().size() - firstHalf);
        }
    }

    @Test
    void anUnsampledRunSendsEveryOrderATraceContextThatIsNotSampled() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(5, "none")) {
            LoadSettings settings = new LoadSettings("outbox", 20, Duration.ofSeconds(1), WorkloadMix.DEFAULT, 7,
                    stub.baseUrl(), "t4", dir.resolve("unsampled.csv"), 3, 10_000, 1, LoadSettings.TraceMode.UNSAMPLED, false);

            GatlingRunner.Run run = new GatlingRunner(dir.resolve("gatling")).run(settings, false);

            assertThat(run.samples()).hasSize(20).allSatisfy(s -> {
                assertThat(stub.traceparents().get(s.orderId())).isEqualTo("00-" + s.traceId() + "-"
                        + stub.traceparents().get(s.orderId()).substring(36, 52) + "-00");
                assertThat(s.traced()).isFalse();
            });
        }
    }

    @Test
    void aFlowThatIsNotImplementedIsRecordedAsSuchAndFailsTheAssertions() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(5, "twopc")) {
            LoadSettings settings = new LoadSettings("twopc", 20, Duration.ofSeconds(1), WorkloadMix.DEFAULT, 7,
                    stub.baseUrl(), "t2", dir.resolve("missing.csv"), 3, 1000, 1, LoadSettings.TraceMode.NONE, false);

            GatlingRunner.Run run = new GatlingRunner(dir.resolve("gatling")).run(settings, false);

            assertThat(run.samples()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.NOT_IMPLEMENTED);
                assertThat(s.postStatus()).isEqualTo(422);
            });
            assertThat(run.assertionsPassed()).isFalse();
            assertThat(stub.orderCount()).isZero();
        }
    }
}

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
            GatlingRunner.Run run = run(settings(stub, "t1", Load.of("choreography", 40, 2)), true);

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
            assertThat(stub.getCount()).as("every order answered PENDING is long-polled once").isEqualTo(80);
            assertThat(stub.prefers().values()).as("every POST asks to be answered once final").hasSize(80)
                    .containsOnly("wait=" + run.settings().waitForFinalSeconds());
        }
    }

    @Test
    void aPostAnsweredOnceTheOrderIsFinalNeedsNoLongPoll() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(20, "none", true)) {
            GatlingRunner.Run run = run(settings(stub, "tw", Load.of("choreography", 40, 2)), false);

            assertThat(run.samples()).hasSize(80);
            assertThat(run.samples()).allSatisfy(s -> {
                assertThat(s.outcome()).isIn(Outcome.CONFIRMED, Outcome.CANCELLED);
                assertThat(s.latencyMicros()).isGreaterThanOrEqualTo(20_000);
                assertThat(s.getStatus()).as("no long-poll sent").isZero();
            });
            assertThat(stub.getCount()).isZero();
            assertThat(run.assertionsPassed()).isTrue();
        }
    }

    @Test
    void anOrderThatIsFinalWhenPlacedIsTimedByItsPostAlone() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(0, "none")) {
            GatlingRunner.Run run = run(settings(stub, "t0", Load.of("cockroach", 40, 2)), false);

            assertThat(run.samples()).hasSize(80);
            assertThat(run.samples()).allSatisfy(s -> {
                assertThat(s.outcome()).isIn(Outcome.CONFIRMED, Outcome.CANCELLED);
                assertThat(s.getStatus()).as("no long-poll sent").isZero();
                assertThat(s.completedAt()).isNotEmpty();
                assertThat(s.backend()).isEqualTo("stub");
            });
            assertThat(run.samples().stream().filter(s -> s.kind().equals("SUCCEED")))
                    .allSatisfy(s -> assertThat(s.outcome()).isEqualTo(Outcome.CONFIRMED));
            assertThat(stub.getCount()).isZero();
            assertThat(run.assertionsPassed()).isTrue();
        }
    }

    @Test
    void severalFlowsTakeTurnsAndEveryOrderCarriesItsOwnSampledTrace() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(5, "none")) {
            GatlingRunner.Run run = run(settings(stub, "t3",
                    Load.of("outbox,twopc,cockroach", 30, 2).traced(LoadSettings.TraceMode.ON)), false);

            assertThat(run.samples()).hasSize(60);
            assertThat(run.samples().stream().collect(Collectors.groupingBy(OrderSample::flow, Collectors.counting())))
                    .containsOnly(Map.entry("outbox", 20L), Map.entry("twopc", 20L), Map.entry("cockroach", 20L));
            assertThat(run.samples()).allSatisfy(s -> {
                assertThat(stub.flows().get(s.orderId())).isEqualTo(s.flow());
                String header = stub.traceparents().get(s.orderId());
                assertThat(header).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
                assertThat(header).startsWith("00-" + s.traceId() + "-").endsWith("-01");
                assertThat(s.traced()).isTrue();
            });
        }
    }

    @Test
    void aRampedRunStartsSlowAndEndsAtTheFullRate() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(5, "none")) {
            LoadSettings settings = settings(stub, "t5", Load.of("cockroach", 40, 2).ramped());

            GatlingRunner.Run run = run(settings, false);

            assertThat(settings.expectedOrders()).isEqualTo(44);
            assertThat(run.samples().size()).isBetween(40, 48);
            long t0 = run.samples().stream().mapToLong(OrderSample::startEpochMs).min().orElseThrow();
            long firstHalf = run.samples().stream().filter(s -> s.startEpochMs() < t0 + 1000).count();
            assertThat(firstHalf).as("a ramp puts fewer arrivals in its first half").isLessThan(run.samples().size() - firstHalf);
        }
    }

    @Test
    void aClosedRunKeepsItsOrdersInFlightAndPlacesEachOnceTheOneBeforeItIsFinal() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(100, "none", true)) {
            LoadSettings o = settings(stub, "t-closed", Load.of("twopc", 1, 2));
            LoadSettings closed = new LoadSettings(o.flow(), 0, o.duration(), Duration.ZERO, 0, o.mix(), o.seed(),
                    o.baseUrl(), o.runId(), o.recordFile(), o.waitForFinalSeconds(), o.maxP99Ms(), o.maxErrorPercent(),
                    o.tracing(), 4);

            GatlingRunner.Run run = run(closed, false);

            assertThat(closed.injection()).as("no arrival schedule").isEmpty();
            // each order takes about 100 ms, 4 at a time, for 2 s: about 80, at most 4 × 2 s / 100 ms + 4
            assertThat(run.samples().size()).isBetween(40, 84);
            assertThat(run.samples()).allSatisfy(s -> {
                assertThat(s.outcome().isFinal()).isTrue();
                assertThat(s.lagMicros()).as("timed from its own POST").isZero();
                assertThat(s.latencyMicros()).isGreaterThanOrEqualTo(100_000);
            });
            // never more than 4 orders between their POST and their final answer at once, and 4 at some point
            assertThat(mostInFlight(run.samples())).isEqualTo(4);
        }
    }

    @Test
    void aClosedRunWithARampAddsItsUsersOverItInsteadOfPlacingEveryOrderAtOnce() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(100, "none", true)) {
            LoadSettings o = settings(stub, "t-closed-ramp", Load.of("twopc", 1, 1));
            LoadSettings closed = new LoadSettings(o.flow(), 0, o.duration(), Duration.ofSeconds(1), 0, o.mix(), o.seed(),
                    o.baseUrl(), o.runId(), o.recordFile(), o.waitForFinalSeconds(), o.maxP99Ms(), o.maxErrorPercent(),
                    o.tracing(), 8);

            GatlingRunner.Run run = run(closed, false);

            // 1 user at first, 8 by the end of the 1 s ramp: far fewer than 8 orders placed in its first 200 ms (each
            // takes about 100 ms, so a user placed then has placed at most 2), and 8 in flight after it
            long first = run.samples().stream().mapToLong(s -> s.startNanos()).min().orElseThrow();
            long early = run.samples().stream().filter(s -> s.startNanos() - first < 200_000_000L).count();
            assertThat(early).as("orders placed in the ramp's first 200 ms").isBetween(1L, 5L);
            assertThat(mostInFlight(run.samples())).isEqualTo(8);
        }
    }

    /** The most orders that were at once between their POST and their final answer. */
    private static int mostInFlight(List<OrderSample> samples) {
        TreeMap<Long, Integer> changes = new TreeMap<>();
        samples.forEach(s -> {
            changes.merge(s.startNanos(), 1, Integer::sum);
            changes.merge(s.startNanos() + s.latencyMicros() * 1000, -1, Integer::sum);
        });
        int inFlight = 0;
        int most = 0;
        for (int change : changes.values()) {
            inFlight += change;
            most = Math.max(most, inFlight);
        }
        return most;
    }

    @Test
    void anUnsampledRunSendsEveryOrderATraceContextThatIsNotSampled() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(5, "none")) {
            GatlingRunner.Run run = run(settings(stub, "t4", Load.of("outbox", 20, 1).traced(LoadSettings.TraceMode.OFF)), false);

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
            GatlingRunner.Run run = run(settings(stub, "t2", Load.of("twopc", 20, 1).sloP99Ms(1000)), false);

            assertThat(run.samples()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.outcome()).isEqualTo(Outcome.NOT_IMPLEMENTED);
                assertThat(s.postStatus()).isEqualTo(422);
            });
            assertThat(run.assertionsPassed()).isFalse();
            assertThat(stub.orderCount()).isZero();
        }
    }

    /** What a case varies: which flows, how fast, how long, and its tracing, ramp and p99 SLO. */
    private record Load(String flows, double rate, int seconds, LoadSettings.TraceMode tracing, int rampSeconds, int maxP99Ms) {

        /** Untraced, at a constant rate, with a 10 s p99 SLO. */
        static Load of(String flows, double rate, int seconds) {
            return new Load(flows, rate, seconds, LoadSettings.TraceMode.NONE, 0, 10_000);
        }

        Load traced(LoadSettings.TraceMode mode) {
            return new Load(flows, rate, seconds, mode, rampSeconds, maxP99Ms);
        }

        /** The whole run a ramp from a tenth of the rate (no constant part). */
        Load ramped() {
            return new Load(flows, rate, 0, tracing, seconds, maxP99Ms);
        }

        Load sloP99Ms(int ms) {
            return new Load(flows, rate, seconds, tracing, rampSeconds, ms);
        }
    }

    /** The load against the stub: the default mix, seed 7, a 3 s long-poll, at most 1 % bad orders. */
    private LoadSettings settings(OrderServiceStub stub, String runId, Load load) {
        return new LoadSettings(load.flows(), load.rate(), Duration.ofSeconds(load.seconds()), Duration.ofSeconds(load.rampSeconds()),
                Math.max(1, load.rate() / 10), WorkloadMix.DEFAULT, 7, stub.baseUrl(), runId, dir.resolve(runId + ".csv"), 3,
                load.maxP99Ms(), 1, load.tracing(), 0);
    }

    private GatlingRunner.Run run(LoadSettings settings, boolean htmlReport) {
        return new GatlingRunner(dir.resolve("gatling")).run(settings, htmlReport);
    }
}

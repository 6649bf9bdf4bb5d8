package io.txlab.loadtests.simulations;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.endpoints.OrderEndpoints;
import io.txlab.loadtests.record.SampleRecorder;
import io.txlab.loadtests.scenarios.PlaceOrderScenario;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

/**
 * Orders at an open-model arrival rate, optionally after a ramp ({@code -Dflow -Drate -Dduration -Dramp -Dmix -Dseed
 * -DbaseUrl}, see {@link LoadSettings}). Open model because latency is the question: arrivals do not slow down when
 * the system does, so queueing shows up in the numbers instead of being hidden by the load generator. With
 * {@code -DinFlight=n} a closed model instead (n orders in flight, each placed once the one before it is final): what
 * a system completes when it is never idle, however slow each order is (the network-distance sweep's capacity runs).
 */
public class OrderSimulation extends Simulation {

    private final LoadSettings settings = LoadSettings.fromSystemProperties();
    private final SampleRecorder recorder = new SampleRecorder(settings.recordFile());
    private final RunControl control = RunControl.current();

    {
        ScenarioBuilder orders = PlaceOrderScenario.build(settings, sample -> {
            recorder.record(sample);
            control.orderFinished();
        }, control::stopRequested);
        setUp(settings.closed() ? orders.injectClosed(settings.closedInjection()) : orders.injectOpen(settings.injection()))
                .protocols(OrderEndpoints.protocol(settings.baseUrl()))
                // a run always ends by itself: injection time plus one long-poll plus slack for the last POSTs
                .maxDuration(settings.totalDuration().plus(Duration.ofSeconds(settings.waitForFinalSeconds() + 10L)))
                .assertions(
                        global().failedRequests().percent().lte(settings.maxErrorPercent()),
                        details(PlaceOrderScenario.GROUP).responseTime().percentile(99.0).lte(settings.maxP99Ms()));
    }

    @Override
    public void before() {
        control.markStarted();
    }

    @Override
    public void after() {
        recorder.close();
    }
}

package io.txlab.loadtests.scenarios;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.txlab.loadtests.config.LoadSettings;
import io.txlab.loadtests.endpoints.OrderEndpoints;
import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.record.Outcome;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;

/**
 * One virtual user = one order: POST it (answered once the order is final, up to the wait), long-poll while the
 * answer is not final, record the sample. The timed unit
 * ends with the response that shows the final state; it starts just before the POST here, and the run then moves it
 * back to the order's scheduled arrival ({@link io.txlab.loadtests.simulations.ArrivalSchedule}). The Gatling group {@code order}
 * measures from the POST for the HTML report.
 */
public final class PlaceOrderScenario {

    public static final String GROUP = "order";

    private PlaceOrderScenario() {
    }

    /**
     * @param sink receives every order's sample
     * @param stop true once the run should end: the next arriving user stops the load generator
     */
    public static ScenarioBuilder build(LoadSettings settings, Consumer<OrderSample> sink, BooleanSupplier stop) {
        OrderGenerator generator = new OrderGenerator(settings.flows(), settings.mix(), settings.seed(), settings.runId());
        LoadSettings.TraceMode tracing = settings.tracing();
        return scenario(settings.flow())
                .exec(stopLoadGeneratorIf("enough orders for this run", session -> stop.getAsBoolean()))
                .feed(generator)
                .exec(session -> session.set("t0", System.nanoTime()).set("t0Wall", System.currentTimeMillis()))
                .group(GROUP).on(
                        exec(OrderEndpoints.placeOrder(switch (tracing) {
                            case NONE -> null;
                            case ON -> "traceparentSampled";
                            case OFF -> "traceparentUnsampled";
                        }, settings.waitForFinalSeconds()))
                                .doIf(session -> awaitsFinal(string(session, "orderId"), string(session, "finalStatus")))
                                .then(exec(OrderEndpoints.awaitFinal(settings.waitForFinalSeconds()))))
                .exec(session -> {
                    sink.accept(sample(session, System.nanoTime(), tracing));
                    return session;
                });
    }

    static OrderSample sample(Session session, long endNanos, LoadSettings.TraceMode tracing) {
        long t0 = session.getLong("t0");
        long latencyMicros = (endNanos - t0) / 1000;
        int postStatus = session.contains("postStatus") ? session.getInt("postStatus") : 0;
        int getStatus = session.contains("getStatus") ? session.getInt("getStatus") : 0;
        String finalStatus = string(session, "finalStatus");
        Outcome outcome = classify(postStatus, string(session, "postBody"), getStatus, finalStatus);
        return new OrderSample(session.getLong("seq"), session.getString("idempotencyKey"), session.getString("kind"),
                session.getString("flow"), session.getLong("t0Wall"), latencyMicros, postStatus, getStatus,
                string(session, "orderId"), outcome, finalStatus, string(session, "reason"), string(session, "createdAt"),
                string(session, "completedAt"), string(session, "backend"),
                tracing == LoadSettings.TraceMode.NONE ? "" : session.getString("traceId"),
                tracing == LoadSettings.TraceMode.ON, t0, 0);
    }

    /** Whether the order the POST answered still has to be long-polled: it has an id and is not final yet. */
    static boolean awaitsFinal(String orderId, String status) {
        return !orderId.isEmpty() && !isFinal(status);
    }

    private static boolean isFinal(String status) {
        return "CONFIRMED".equals(status) || "CANCELLED".equals(status);
    }

    /**
     * @param getStatus the long-poll's HTTP status, 0 when the POST's answer was already final and no GET was sent
     * @param finalStatus the order's status as last answered (by the GET if one was sent, else by the POST)
     */
    public static Outcome classify(int postStatus, String postBody, int getStatus, String finalStatus) {
        if (postStatus == 422 && postBody != null && postBody.contains("not implemented")) {
            return Outcome.NOT_IMPLEMENTED;
        }
        boolean answered = getStatus == 200 || (getStatus == 0 && isFinal(finalStatus));
        if ((postStatus != 200 && postStatus != 201) || !answered) {
            return Outcome.ERROR;
        }
        return switch (finalStatus) {
            case "CONFIRMED" -> Outcome.CONFIRMED;
            case "CANCELLED" -> Outcome.CANCELLED;
            case "PENDING" -> Outcome.UNFINISHED;
            default -> Outcome.ERROR;
        };
    }

    private static String string(Session session, String key) {
        return session.contains(key) ? String.valueOf((Object) session.get(key)) : "";
    }
}

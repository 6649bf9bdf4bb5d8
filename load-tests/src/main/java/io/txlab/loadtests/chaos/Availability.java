package io.txlab.loadtests.chaos;

import io.txlab.loadtests.record.OrderSample;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.scenarios.OrderKind;

import java.util.List;
import java.util.Map;

/**
 * What a flow still did for its clients while a fault lasted, and after it: of the orders the load generator placed in
 * a window, how many the flow accepted (an order id in a 2xx answer), and how those ended once followed to the
 * deadline: as the workload asked (a {@link OrderKind#SUCCEED} order CONFIRMED, the others CANCELLED), otherwise (a
 * succeed order CANCELLED, e.g. a 2PC branch voted out by a timeout), or not final. Sagas are expected to accept during
 * a participant's outage and finish late; a protocol that needs every participant to answer refuses or aborts.
 */
public final class Availability {

    private Availability() {
    }

    /**
     * @param samples     one flow's orders as the load generator saw them
     * @param finalStatus order id → status as last read from the databases (after the run was followed to its deadline)
     * @param fromEpochMs start of the window (inclusive), by the order's start
     * @param toEpochMs   end of the window (exclusive)
     */
    public static Results.Availability of(List<OrderSample> samples, Map<String, String> finalStatus, long fromEpochMs,
                                          long toEpochMs) {
        long placed = 0;
        long accepted = 0;
        long asAsked = 0;
        long otherwise = 0;
        for (OrderSample s : samples) {
            if (s.startEpochMs() < fromEpochMs || s.startEpochMs() >= toEpochMs) {
                continue;
            }
            placed++;
            if (s.orderId() == null || s.orderId().isBlank() || s.postStatus() < 200 || s.postStatus() >= 300) {
                continue;
            }
            accepted++;
            String status = finalStatus.getOrDefault(s.orderId(), s.outcome().isFinal() ? s.status() : null);
            if (status == null || !(status.equals("CONFIRMED") || status.equals("CANCELLED"))) {
                continue;
            }
            if (status.equals(expected(s.kind()))) {
                asAsked++;
            } else {
                otherwise++;
            }
        }
        return new Results.Availability(placed, accepted, asAsked, otherwise, accepted - asAsked - otherwise);
    }

    /** The final status the workload meant the order to reach. */
    static String expected(String kind) {
        return OrderKind.SUCCEED.name().equals(kind) ? "CONFIRMED" : "CANCELLED";
    }
}

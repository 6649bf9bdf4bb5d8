package io.txlab.loadtests.record;

import java.util.List;

/**
 * One order as the load generator saw it. {@code latencyMicros} is the timed unit: from the order's scheduled arrival
 * to the response that showed the order final (or the last response, when it never became final); it includes
 * {@code lagMicros}, how late the load generator started the order compared with its schedule. {@code startEpochMs} and {@code startNanos} are
 * when the order actually started ({@code startNanos} is the JVM's {@link System#nanoTime()}, 0 when unknown). {@code createdAt} and
 * {@code completedAt} are the server's own timestamps (ISO-8601, empty when unknown). {@code traceId} is the
 * trace the load generator started for the order and {@code traced} whether that trace was sampled.
 */
public record OrderSample(long seq, String idempotencyKey, String kind, String flow, long startEpochMs,
                          long latencyMicros, int postStatus, int getStatus, String orderId, Outcome outcome,
                          String status, String reason, String createdAt, String completedAt, String backend,
                          String traceId, boolean traced, long startNanos, long lagMicros) {

    /** The samples of one flow, in their order (a run whose flows took turns holds several). */
    public static List<OrderSample> ofFlow(List<OrderSample> samples, String flow) {
        return samples.stream().filter(s -> s.flow().equals(flow)).toList();
    }

    public long endEpochMs() {
        return startEpochMs + (latencyMicros - lagMicros) / 1000;
    }

    /** This order timed from its scheduled arrival, {@code lag} microseconds before it actually started. */
    public OrderSample withLag(long lag) {
        return new OrderSample(seq, idempotencyKey, kind, flow, startEpochMs, latencyMicros + lag, postStatus,
                getStatus, orderId, outcome, status, reason, createdAt, completedAt, backend, traceId, traced, startNanos, lag);
    }
}

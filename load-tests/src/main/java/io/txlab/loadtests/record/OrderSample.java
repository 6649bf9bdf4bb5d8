package io.txlab.loadtests.record;

/**
 * One order as the load generator saw it. {@code latencyMicros} is the timed unit: from just before the POST to the
 * response that showed the order final (or the last response, when it never became final). {@code createdAt} and
 * {@code completedAt} are the server's own timestamps (ISO-8601, empty when unknown). {@code traceId} is the
 * trace the load generator started for the order (empty when it started none) and {@code traced} whether that
 * trace was sampled.
 */
public record OrderSample(long seq, String idempotencyKey, String kind, String flow, long startEpochMs,
                          long latencyMicros, int postStatus, int getStatus, String orderId, Outcome outcome,
                          String status, String reason, String createdAt, String completedAt, String backend,
                          String traceId, boolean traced) {

    public long endEpochMs() {
        return startEpochMs + latencyMicros / 1000;
    }
}

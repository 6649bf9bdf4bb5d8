package io.txlab.contracts;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The five ways txlab runs the same order saga. The lowercase {@link #id()} is the only spelling used in
 * APIs, configuration keys, package names, Gatling scenarios, k8s overlays and report columns.
 */
public enum Flow {
    /** Services react to each other's Kafka events and publish directly after their local commit. */
    CHOREOGRAPHY("choreography"),
    /** The same choreography, events written to an outbox table and relayed by Debezium embedded CDC. */
    OUTBOX("outbox"),
    /** A Temporal workflow in saga-orchestrator calls activities hosted by the owning services. */
    ORCHESTRATION("orchestration"),
    /** Two-phase commit over the services' PostgreSQL databases, driven by twopc-coordinator. */
    TWOPC("twopc"),
    /** The whole order as one serializable transaction on CockroachDB (or its local stand-in). */
    COCKROACH("cockroach");

    private final String id;

    Flow(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /**
     * Parses a flow id.
     *
     * @throws IllegalArgumentException naming the valid ids when {@code id} is not one of them
     */
    public static Flow fromId(String id) {
        for (Flow flow : values()) {
            if (flow.id.equals(id)) {
                return flow;
            }
        }
        throw new IllegalArgumentException("unknown flow '" + id + "'; valid flows: " + ids());
    }

    public static String ids() {
        return Arrays.stream(values()).map(Flow::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}

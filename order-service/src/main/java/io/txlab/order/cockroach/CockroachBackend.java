package io.txlab.order.cockroach;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The database that actually serves the {@code cockroach} flow. Every output (order JSON, {@code /actuator/info},
 * startup log, metrics tags) carries {@link #id()}, so a run on the stand-in is never reported as CockroachDB.
 */
public enum CockroachBackend {

    /** A real CockroachDB cluster (serializable by default, distributed). */
    COCKROACHDB("cockroachdb"),
    /** A single PostgreSQL server with every transaction at SERIALIZABLE (SSI): the same SQL, not the same system. */
    POSTGRESQL_SERIALIZABLE_STANDIN("postgresql-serializable-standin");

    private final String id;

    CockroachBackend(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException listing the valid ids */
    public static CockroachBackend fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(backend -> backend.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown txlab.cockroach.backend '" + id
                        + "'; valid: " + Arrays.stream(values()).map(CockroachBackend::id)
                        .collect(Collectors.joining(", "))));
    }

    /** What a server's {@code SELECT version()} says it is: CockroachDB answers "CockroachDB CCL v...". */
    static CockroachBackend fromServerVersion(String version) {
        return version.contains("CockroachDB") ? COCKROACHDB : POSTGRESQL_SERIALIZABLE_STANDIN;
    }
}

package io.txlab.order.cockroach;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the {@code cockroach} flow ({@code txlab.cockroach.*}).
 *
 * @param url            JDBC URL of the flow's database: CockroachDB, or the PostgreSQL stand-in locally
 * @param username       database user
 * @param password       database password
 * @param backend        what {@code url} is: {@code cockroachdb} or {@code postgresql-serializable-standin}; checked
 *                       against the server's {@code version()} at startup, and detected from it when blank
 * @param poolSize       connections of the flow's own pool (separate from the orders database's pool)
 * @param maxRetries     retries of one transaction after a serialization failure before giving up (503)
 * @param initialBackoff the backoff cap before the first retry; doubles per retry, the wait is uniform in [0, cap]
 * @param maxBackoff     the largest backoff cap
 */
@ConfigurationProperties("txlab.cockroach")
public record CockroachProperties(
        @DefaultValue("jdbc:postgresql://127.0.0.1:15435/txlab") String url,
        @DefaultValue("txlab") String username,
        @DefaultValue("txlab") String password,
        @DefaultValue("") String backend,
        @DefaultValue("10") int poolSize,
        @DefaultValue("15") int maxRetries,
        @DefaultValue("2ms") Duration initialBackoff,
        @DefaultValue("200ms") Duration maxBackoff) {

    public CockroachProperties {
        if (poolSize < 1) {
            throw new IllegalArgumentException("txlab.cockroach.pool-size must be at least 1");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("txlab.cockroach.max-retries must not be negative");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("txlab.cockroach backoff: need 0 <= initial-backoff <= max-backoff");
        }
    }
}

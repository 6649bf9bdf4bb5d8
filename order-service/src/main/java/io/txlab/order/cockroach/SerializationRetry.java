package io.txlab.order.cockroach;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The client-side retry loop of the {@code cockroach} flow: a whole transaction is run again when the database
 * refused to serialize it, with a bounded number of retries and exponential backoff with full jitter (the wait
 * before retry {@code n} is uniform in {@code [0, min(maxBackoff, initialBackoff * 2^n)]}, so contenders spread out
 * instead of colliding again in lockstep).
 *
 * <p>Retried SQLSTATEs:
 * <ul>
 *   <li>{@code 40001} serialization_failure: CockroachDB's "restart transaction" errors (RETRY_SERIALIZABLE,
 *       RETRY_WRITE_TOO_OLD, ...), PostgreSQL SSI's "could not serialize access";</li>
 *   <li>{@code 40P01} deadlock_detected: PostgreSQL only; the sku-ordered updates make it rare but not impossible
 *       (SSI predicate locks are not ordered);</li>
 *   <li>{@code 40003} statement_completion_unknown: CockroachDB's "result is ambiguous" when a commit's outcome was
 *       lost. Retrying a commit of unknown outcome is safe here only because every transaction of this flow claims
 *       the request's idempotency key: if the first commit did land, the retry finds the key and replays.</li>
 * </ul>
 *
 * <p>Why a full restart and not CockroachDB's {@code SAVEPOINT cockroach_restart} protocol: the savepoint variant
 * keeps the transaction's record and priority across retries on CockroachDB, but it means nothing to PostgreSQL
 * (an SSI failure aborts the transaction; there is nothing to roll back to). Restarting the whole transaction is
 * correct on both, which is what lets the same code run on the stand-in and on a cluster. Spring Framework 7's
 * {@link RetryTemplate} drives the loop; the backoff is a {@link BackOff} of its own because the built-in
 * exponential backoff adds bounded jitter around the delay rather than drawing the whole delay at random.
 */
final class SerializationRetry {

    static final Set<String> RETRYABLE_SQLSTATES = Set.of("40001", "40P01", "40003");

    private final RetryTemplate template;
    private final int maxRetries;
    private final MeterRegistry meters;
    private final String backend;

    SerializationRetry(CockroachProperties properties, MeterRegistry meters, String backend) {
        this.maxRetries = properties.maxRetries();
        this.meters = meters;
        this.backend = backend;
        this.template = new RetryTemplate(RetryPolicy.builder()
                .predicate(failure -> retryableSqlState(failure).isPresent())
                .backOff(new FullJitterBackOff(properties.maxRetries(), properties.initialBackoff(),
                        properties.maxBackoff()))
                .build());
        this.template.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
                Counter.builder("txlab.cockroach.serialization.retries")
                        .description("transactions of the cockroach flow run again after a serialization failure")
                        .tag("backend", backend)
                        .tag("transaction", retryable.getName())
                        .tag("sqlstate", retryableSqlState(state.getLastException()).orElse("none"))
                        .register(meters)
                        .increment();
            }
        });
    }

    /** How many times one request's transactions were retried; shared by its place and cancel transactions. */
    static final class Retries {
        private int count;

        int count() {
            return count;
        }
    }

    /**
     * Runs {@code transaction} (one whole database transaction per call) until it commits or fails otherwise.
     *
     * @param name    {@code place}, {@code cancel} or {@code find}: a metrics tag and the log name of the loop
     * @param retries incremented before every retry, so an attempt can record how many preceded it
     * @throws SerializationRetriesExhaustedException if the last of {@code 1 + maxRetries} attempts still failed to
     *                                                serialize; nothing of any attempt was committed
     */
    <T> T run(String name, Retries retries, Supplier<T> transaction) {
        Retryable<T> retryable = new Retryable<>() {
            private boolean first = true;

            @Override
            public T execute() {
                if (!first) {
                    retries.count++;
                }
                first = false;
                return transaction.get();
            }

            @Override
            public String getName() {
                return name;
            }
        };
        try {
            return template.execute(retryable);
        } catch (RetryException e) {
            Throwable last = e.getLastException() != null ? e.getLastException() : e.getCause();
            Optional<String> sqlState = retryableSqlState(last);
            if (sqlState.isEmpty()) {
                if (last instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (last instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(last);
            }
            Counter.builder("txlab.cockroach.serialization.exhausted")
                    .description("requests of the cockroach flow refused because retries ran out")
                    .tag("backend", backend)
                    .tag("transaction", name)
                    .register(meters)
                    .increment();
            throw new SerializationRetriesExhaustedException(backend, name, maxRetries + 1, sqlState.get(), last);
        }
    }

    /** Records how many attempts a request's placing needed ({@code outcome}: CONFIRMED, CANCELLED or EXHAUSTED). */
    void recordAttempts(String outcome, int attempts) {
        DistributionSummary.builder("txlab.cockroach.attempts")
                .description("transaction attempts per order of the cockroach flow (1 = no retry)")
                .tag("backend", backend)
                .tag("outcome", outcome)
                .serviceLevelObjectives(1, 2, 3, 5, 8, 13, 21)
                .register(meters)
                .record(attempts);
    }

    /** The SQLSTATE that makes {@code failure} worth retrying, looking through its causes. */
    static Optional<String> retryableSqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    if (e.getSQLState() != null && RETRYABLE_SQLSTATES.contains(e.getSQLState())) {
                        return Optional.of(e.getSQLState());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Exponential backoff with full jitter, at most {@code maxRetries} times. */
    record FullJitterBackOff(int maxRetries, Duration initial, Duration max) implements BackOff {

        @Override
        public BackOffExecution start() {
            return new BackOffExecution() {
                private int retry;

                @Override
                public long nextBackOff() {
                    if (retry >= maxRetries) {
                        return STOP;
                    }
                    long cap = Math.min(max.toMillis(), initial.toMillis() << Math.min(retry, 30));
                    retry++;
                    return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
                }
            };
        }
    }
}

package io.txlab.order.cockroach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.util.backoff.BackOffExecution;

class SerializationRetryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private SerializationRetry retry(int maxRetries) {
        return new SerializationRetry(new CockroachProperties("jdbc:postgresql://unused/x", "u", "p", "",
                1, maxRetries, Duration.ZERO, Duration.ofMillis(1)), meters, "test-backend");
    }

    private static RuntimeException failure(String sqlState) {
        // As Spring's JDBC layer hands it over: the driver's SQLException as the cause of a DataAccessException.
        return new PessimisticLockingFailureException("attempt failed", new SQLException("simulated", sqlState));
    }

    @Test
    void retriesSerializationFailuresUntilTheTransactionSucceedsCountingEachRetry() {
        AtomicInteger calls = new AtomicInteger();
        SerializationRetry.Retries retries = new SerializationRetry.Retries();

        String result = retry(5).run("place", retries, () -> {
            int call = calls.incrementAndGet();
            if (call == 1) {
                throw failure("40001");
            }
            if (call == 2) {
                throw failure("40P01");
            }
            if (call == 3) {
                throw failure("40003");
            }
            return "committed after " + retries.count() + " retries";
        });

        assertThat(result).isEqualTo("committed after 3 retries");
        assertThat(retries.count()).isEqualTo(3);
        assertThat(meters.find("txlab.cockroach.serialization.retries").counters().stream()
                .mapToDouble(c -> c.count()).sum()).isEqualTo(3.0);
        assertThat(meters.find("txlab.cockroach.serialization.retries").tag("sqlstate", "40001")
                .tag("transaction", "place").tag("backend", "test-backend").counter().count()).isEqualTo(1.0);
    }

    @Test
    void givesUpAfterMaxRetriesWithAClearFailure() {
        AtomicInteger calls = new AtomicInteger();
        SerializationRetry.Retries retries = new SerializationRetry.Retries();

        assertThatThrownBy(() -> retry(2).run("place", retries, () -> {
            calls.incrementAndGet();
            throw failure("40001");
        }))
                .isInstanceOfSatisfying(SerializationRetriesExhaustedException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.getStatusCode().value()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("3 times", "40001", "test-backend", "nothing was written");
                });
        assertThat(calls).hasValue(3);
        assertThat(retries.count()).isEqualTo(2);
        assertThat(meters.find("txlab.cockroach.serialization.exhausted").counter().count()).isEqualTo(1.0);
    }

    @Test
    void otherFailuresAreNotRetriedAndPassThroughUnchanged() {
        AtomicInteger calls = new AtomicInteger();
        DataIntegrityViolationException violation = new DataIntegrityViolationException("check violated",
                new SQLException("simulated", "23514"));

        assertThatThrownBy(() -> retry(5).run("place", new SerializationRetry.Retries(), () -> {
            calls.incrementAndGet();
            throw violation;
        })).isSameAs(violation);
        assertThat(calls).hasValue(1);
    }

    @Test
    void theBackoffIsFullJitterUnderADoublingCapAndStopsAfterMaxRetries() {
        BackOffExecution backOff = new SerializationRetry.FullJitterBackOff(6, Duration.ofMillis(4),
                Duration.ofMillis(40)).start();
        long[] caps = {4, 8, 16, 32, 40, 40};
        for (long cap : caps) {
            assertThat(backOff.nextBackOff()).isBetween(0L, cap);
        }
        assertThat(backOff.nextBackOff()).isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void findsTheSqlStateThroughCausesAndChainedExceptions() {
        SQLException chained = new SQLException("batch", "XX000");
        chained.setNextException(new SQLException("inner", "40001"));

        assertThat(SerializationRetry.retryableSqlState(new RuntimeException(chained))).contains("40001");
        assertThat(SerializationRetry.retryableSqlState(new RuntimeException("no sql"))).isEmpty();
        assertThat(SerializationRetry.retryableSqlState(new SQLException("unique", "23505"))).isEmpty();
    }

    @Test
    void backendLabelsComeFromTheServersOwnVersionString() {
        assertThat(CockroachBackend.fromServerVersion("CockroachDB CCL v24.3.1 (x86_64-pc-linux-gnu, ...)"))
                .isEqualTo(CockroachBackend.COCKROACHDB);
        assertThat(CockroachBackend.fromServerVersion("PostgreSQL 15.8 on x86_64-pc-linux-gnu"))
                .isEqualTo(CockroachBackend.POSTGRESQL_SERIALIZABLE_STANDIN);
        assertThat(CockroachBackend.fromId(" CockroachDB ")).isEqualTo(CockroachBackend.COCKROACHDB);
        assertThatThrownBy(() -> CockroachBackend.fromId("yugabyte"))
                .hasMessageContaining("cockroachdb, postgresql-serializable-standin");
    }
}

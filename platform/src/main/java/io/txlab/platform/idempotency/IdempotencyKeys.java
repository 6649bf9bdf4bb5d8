package io.txlab.platform.idempotency;

import io.txlab.platform.scheduling.PeriodicTask;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.time.Duration;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Idempotency keys in the service's own database (table {@code idempotency_key}, migration
 * {@code db/platform/V0_1__idempotency_key.sql}).
 *
 * <p>Call {@link #claim} and {@link #complete} inside the same local transaction as the effect. The claim is an
 * {@code INSERT ... ON CONFLICT DO NOTHING}: a concurrent request with the same key blocks on the unique index until
 * the first transaction ends, then sees its committed row and replays it; if the first transaction rolled back, the
 * second one claims the key afresh. So a key maps to exactly one effect without any lock held across requests.
 *
 * <p><b>Keys expire</b> {@code retention} after they were claimed ({@code txlab.idempotency.retention}, default
 * {@link #DEFAULT_RETENTION}, the window Stripe documents for its keys). An expired key is a new key: the same request
 * again performs the effect again (a second order, a second reservation), and the same key with another request is no
 * longer refused. Retries are expected within seconds to minutes; a client that retries after the window gets a new
 * effect, which is the documented price of not keeping every key forever. The claim replaces an expired row in the same
 * {@code INSERT ... ON CONFLICT}, so a key is never seen half-expired; {@link #purgeExpired} deletes expired rows so the
 * table holds one window of keys.
 */
public class IdempotencyKeys {

    /** How long a key is remembered unless configured otherwise. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24);

    private final JdbcClient jdbc;
    private final Duration retention;

    public IdempotencyKeys(JdbcClient jdbc) {
        this(jdbc, DEFAULT_RETENTION);
    }

    public IdempotencyKeys(JdbcClient jdbc, Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("txlab.idempotency.retention must be positive, got " + retention);
        }
        this.jdbc = jdbc;
        this.retention = retention;
    }

    public Duration retention() {
        return retention;
    }

    /** The outcome of a claim. */
    public sealed interface Claim {
        /** The key is new: perform the effect, then {@link #complete} it. */
        record New() implements Claim {
        }

        /** The key was used before with the same request: return the resource it produced. */
        record Replay(String resourceId) implements Claim {
        }
    }

    /**
     * Claims {@code key} within {@code scope} for a request whose canonical form hashes to {@code fingerprint}.
     *
     * @throws IdempotencyKeyReusedException if the key was used with a different fingerprint
     * @throws IllegalStateException         if the key was claimed but never completed in a committed transaction
     */
    public Claim claim(String scope, String key, String fingerprint) {
        // a row older than the retention is replaced as if absent; a live one is left alone (0 rows), and a concurrent
        // claim of the same expired key waits for this one's row lock, then finds it live
        int inserted = jdbc.sql("""
                        INSERT INTO idempotency_key (scope, idempotency_key, fingerprint, created_at)
                        VALUES (:scope, :key, :fingerprint, now())
                        ON CONFLICT (scope, idempotency_key) DO UPDATE
                        SET fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at, resource_id = NULL
                        WHERE idempotency_key.created_at < now() - make_interval(secs => :retention)""")
                .param("scope", scope)
                .param("key", key)
                .param("fingerprint", fingerprint)
                .param("retention", retentionSeconds())
                .update();
        if (inserted == 1) {
            return new Claim.New();
        }
        Stored stored = jdbc.sql("""
                        SELECT fingerprint, resource_id FROM idempotency_key
                        WHERE scope = :scope AND idempotency_key = :key""")
                .param("scope", scope)
                .param("key", key)
                .query((rs, row) -> new Stored(rs.getString(1), rs.getString(2)))
                .single();
        if (!stored.fingerprint().equals(fingerprint)) {
            throw new IdempotencyKeyReusedException(scope, key);
        }
        if (stored.resourceId() == null) {
            throw new IllegalStateException("idempotency key '" + key + "' in scope " + scope
                    + " was claimed without a result; claim and complete must share one transaction");
        }
        return new Claim.Replay(stored.resourceId());
    }

    /** Records the resource the claimed key produced; call in the claiming transaction. */
    public void complete(String scope, String key, String resourceId) {
        jdbc.sql("UPDATE idempotency_key SET resource_id = :resource WHERE scope = :scope AND idempotency_key = :key")
                .param("resource", resourceId)
                .param("scope", scope)
                .param("key", key)
                .update();
    }

    /** The resource a completed key produced, if any and the key has not expired. */
    public Optional<String> find(String scope, String key) {
        return jdbc.sql("""
                        SELECT resource_id FROM idempotency_key WHERE scope = :scope AND idempotency_key = :key
                        AND created_at >= now() - make_interval(secs => :retention)""")
                .param("scope", scope)
                .param("key", key)
                .param("retention", retentionSeconds())
                .query(String.class)
                .optional();
    }

    /**
     * Deletes up to {@code limit} expired keys; returns how many. Without an index on {@code created_at} each call
     * scans the table, which holds one retention window of keys.
     */
    public int purgeExpired(int limit) {
        return jdbc.sql("""
                        DELETE FROM idempotency_key WHERE ctid IN (SELECT ctid FROM idempotency_key
                        WHERE created_at < now() - make_interval(secs => :retention) LIMIT :limit)""")
                .param("retention", retentionSeconds())
                .param("limit", limit)
                .update();
    }

    /**
     * A task that deletes every expired key once per {@code interval}, {@code batch} at a time so that a purge after a
     * long pause never holds one huge delete; start and stop it with its owner (or make it a bean).
     */
    public PeriodicTask purgeTask(String name, Duration interval, int batch) {
        return new PeriodicTask(name, interval, interval, () -> {
            int deleted;
            do {
                deleted = purgeExpired(batch);
            } while (deleted == batch);
        });
    }

    private double retentionSeconds() {
        return retention.toMillis() / 1000.0;
    }

    /** SHA-256 (hex) of a request's canonical JSON form; callers serialise records, whose field order is fixed. */
    public static String fingerprint(String canonicalJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private record Stored(String fingerprint, String resourceId) {
    }
}

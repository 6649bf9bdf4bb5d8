package io.txlab.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 */
public class IdempotencyKeys {

    private final JdbcClient jdbc;

    public IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
        int inserted = jdbc.sql("""
                        INSERT INTO idempotency_key (scope, idempotency_key, fingerprint, created_at)
                        VALUES (:scope, :key, :fingerprint, now())
                        ON CONFLICT (scope, idempotency_key) DO NOTHING""")
                .param("scope", scope)
                .param("key", key)
                .param("fingerprint", fingerprint)
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

    /** The resource a completed key produced, if any. */
    public Optional<String> find(String scope, String key) {
        return jdbc.sql("SELECT resource_id FROM idempotency_key WHERE scope = :scope AND idempotency_key = :key")
                .param("scope", scope)
                .param("key", key)
                .query(String.class)
                .optional();
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

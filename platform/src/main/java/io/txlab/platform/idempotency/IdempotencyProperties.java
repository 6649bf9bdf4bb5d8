package io.txlab.platform.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long idempotency keys are remembered.
 *
 * @param retention     a key claimed longer ago than this is a new key ({@code TXLAB_IDEMPOTENCY_RETENTION}); see
 *                      {@link IdempotencyKeys}. Keep it longer than any client retry and any recovery of a step
 *                      (2PC recovery, saga retries): a step re-driven after its key expired is performed again
 * @param purgeInterval how often expired keys are deleted, in batches, until none is left
 */
@ConfigurationProperties("txlab.idempotency")
public record IdempotencyProperties(@DefaultValue("24h") Duration retention, @DefaultValue("1h") Duration purgeInterval) {
}

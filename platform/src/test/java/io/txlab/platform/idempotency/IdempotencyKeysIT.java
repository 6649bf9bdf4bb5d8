package io.txlab.platform.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import io.txlab.platform.messaging.PlatformDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Keys on real PostgreSQL: replayed within the retention, new after it, purged once expired. */
class IdempotencyKeysIT {

    private HikariDataSource ds;
    private JdbcClient jdbc;
    private IdempotencyKeys keys;

    @BeforeEach
    void freshDatabase() throws IOException {
        Database db = TestInfra.postgres().freshDatabase("idempotency");
        ds = PlatformDatabase.dataSource(db);
        jdbc = JdbcClient.create(ds);
        try (InputStream in = getClass().getResourceAsStream("/db/platform/V0_1__idempotency_key.sql")) {
            jdbc.sql(new String(in.readAllBytes(), StandardCharsets.UTF_8)).update();
        }
        keys = new IdempotencyKeys(jdbc, Duration.ofHours(24));
    }

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void withinTheRetentionAKeyReplaysItsResourceAndRefusesAnotherRequest() {
        assertThat(keys.claim("orders", "k1", "fp-a")).isInstanceOf(IdempotencyKeys.Claim.New.class);
        keys.complete("orders", "k1", "order-1");

        assertThat(keys.claim("orders", "k1", "fp-a")).isEqualTo(new IdempotencyKeys.Claim.Replay("order-1"));
        assertThatThrownBy(() -> keys.claim("orders", "k1", "fp-b")).isInstanceOf(IdempotencyKeyReusedException.class);
        assertThat(keys.find("orders", "k1")).contains("order-1");
    }

    @Test
    void afterTheRetentionTheSameKeyIsANewKeyForAnyRequest() {
        keys.claim("orders", "k1", "fp-a");
        keys.complete("orders", "k1", "order-1");
        age("k1", Duration.ofHours(25));

        assertThat(keys.find("orders", "k1")).as("an expired key is not found").isEmpty();
        assertThat(keys.claim("orders", "k1", "fp-b")).as("another request: no longer refused, a new effect")
                .isInstanceOf(IdempotencyKeys.Claim.New.class);
        keys.complete("orders", "k1", "order-2");
        assertThat(keys.claim("orders", "k1", "fp-b")).as("and replayed again from then on")
                .isEqualTo(new IdempotencyKeys.Claim.Replay("order-2"));
        assertThat(jdbc.sql("SELECT count(*) FROM idempotency_key").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aKeyJustInsideTheRetentionStillReplays() {
        keys.claim("orders", "k1", "fp-a");
        keys.complete("orders", "k1", "order-1");
        age("k1", Duration.ofHours(23));

        assertThat(keys.claim("orders", "k1", "fp-a")).isEqualTo(new IdempotencyKeys.Claim.Replay("order-1"));
    }

    @Test
    void purgeDeletesExpiredKeysOnlyInBatches() {
        for (int i = 0; i < 5; i++) {
            keys.claim("orders", "old-" + i, "fp");
            keys.complete("orders", "old-" + i, "order-" + i);
            age("old-" + i, Duration.ofDays(2));
        }
        keys.claim("orders", "live", "fp");
        keys.complete("orders", "live", "order-live");

        assertThat(keys.purgeExpired(3)).isEqualTo(3);
        assertThat(keys.purgeExpired(3)).isEqualTo(2);
        assertThat(keys.purgeExpired(3)).isZero();
        assertThat(keys.find("orders", "live")).contains("order-live");
    }

    @Test
    void aRetentionThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new IdempotencyKeys(jdbc, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("txlab.idempotency.retention");
    }

    private void age(String key, Duration by) {
        jdbc.sql("UPDATE idempotency_key SET created_at = now() - make_interval(secs => :s) WHERE idempotency_key = :k")
                .param("s", (double) by.toSeconds()).param("k", key).update();
    }
}

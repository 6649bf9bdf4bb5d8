package io.txlab.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The inbox against a real PostgreSQL: one effect per event id, and only with a committed effect. */
class InboxIT {

    private static HikariDataSource dataSource;
    private static TransactionTemplate tx;
    private static Inbox inbox;

    @BeforeAll
    static void start() {
        dataSource = PlatformDatabase.dataSource(PlatformDatabase.fresh("inbox"));
        tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        inbox = new Inbox(JdbcClient.create(dataSource));
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    @Test
    void theFirstDeliveryCountsAndDuplicatesAreSkipped() {
        UUID event = UUID.randomUUID();
        assertThat(first(event, "inventory")).isTrue();
        assertThat(first(event, "inventory")).isFalse();
        assertThat(first(event, "payment")).as("another consumer").isTrue();
    }

    @Test
    void aRolledBackEffectLeavesTheEventToBeAppliedAgain() {
        UUID event = UUID.randomUUID();
        tx.executeWithoutResult(s -> {
            assertThat(inbox.firstDelivery(event, "inventory")).isTrue();
            s.setRollbackOnly();
        });
        assertThat(first(event, "inventory")).isTrue();
    }

    private static boolean first(UUID event, String consumer) {
        return Boolean.TRUE.equals(tx.execute(s -> inbox.firstDelivery(event, consumer)));
    }

    @Test
    void refusesToRunOutsideATransaction() {
        assertThatThrownBy(() -> inbox.firstDelivery(UUID.randomUUID(), "inventory"))
                .isInstanceOf(IllegalStateException.class);
    }
}

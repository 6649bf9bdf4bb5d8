package io.txlab.order.saga;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderDeadlineProperties;
import io.txlab.order.order.OrderRepository;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The choreography and outbox orders' deadline (adr/0038) over a real order database, with the participants' manual
 * compensations answered by the HTTP stub. The context runs neither flow (no broker here), so the sweep is built by
 * hand and stepped one pass at a time (the compensations' own retries run in the background, as in production); on
 * the real stack the system tests drive it.
 */
class SagaDeadlinesIT extends OrderServiceTestContext {

    @Autowired
    OrderRepository repository;
    @Autowired
    OrderService orders;
    @Autowired
    SagaCompensations compensations;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;

    private SagaDeadlines sweep;

    @BeforeEach
    void sweep() {
        sweep = new SagaDeadlines(orders, compensations, transactionManager,
                new OrderDeadlineProperties(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(500)));
        // earlier tests' expired orders must not be in this test's pass
        jdbc.sql("UPDATE purchase_order SET deadline_at = NULL WHERE status = 'PENDING'").update();
    }

    @AfterEach
    void participantsUp() {
        REFERENCES.down(false);
    }

    @Test
    void anOrderPastItsDeadlineIsCancelledThenRefundedAndReleasedOnceAndTheOthersAreLeftAlone() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Order expired = insert(Flow.CHOREOGRAPHY, OrderStatus.PENDING, now.minusSeconds(1));
        Order outboxExpired = insert(Flow.OUTBOX, OrderStatus.PENDING, now.minusMillis(10));
        Order notYet = insert(Flow.CHOREOGRAPHY, OrderStatus.PENDING, now.plusSeconds(60));
        Order none = insert(Flow.OUTBOX, OrderStatus.PENDING, null);
        Order confirmed = insert(Flow.CHOREOGRAPHY, OrderStatus.CONFIRMED, now.minusSeconds(1));
        Order otherFlow = insert(Flow.TWOPC, OrderStatus.PENDING, now.minusSeconds(1));

        sweep.sweepOnce();

        for (Order o : List.of(expired, outboxExpired)) {
            Order after = repository.find(o.id()).orElseThrow();
            assertThat(after.status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(after.reason()).isEqualTo("DEADLINE_EXCEEDED");
            assertThat(REFERENCES.posts("/payments/" + o.id() + "/refund")).containsExactly("deadline-refund-" + o.id());
            assertThat(REFERENCES.posts("/reservations/" + o.id() + "/release"))
                    .containsExactly("deadline-release-" + o.id());
            Map<String, Object> row = compensation(o.id());
            assertThat(row.get("cause")).isEqualTo("DEADLINE_EXCEEDED");
            assertThat(row.get("refunded_at")).isNotNull();
            assertThat(row.get("released_at")).isNotNull();
        }
        for (Order o : List.of(notYet, none, confirmed, otherFlow)) {
            assertThat(repository.find(o.id()).orElseThrow().status()).isEqualTo(o.status());
            assertThat(REFERENCES.posts("/payments/" + o.id() + "/refund")).isEmpty();
            assertThat(REFERENCES.posts("/reservations/" + o.id() + "/release")).isEmpty();
        }

        sweep.sweepOnce(); // nothing left to do: no second call to any participant
        assertThat(REFERENCES.posts("/payments/" + expired.id() + "/refund")).hasSize(1);
        assertThat(REFERENCES.posts("/reservations/" + expired.id() + "/release")).hasSize(1);
    }

    @Test
    void withTheParticipantsDownTheOrderIsCancelledAtItsDeadlineAndCompensatedOnceTheyAnswer() {
        Order expired = insert(Flow.CHOREOGRAPHY, OrderStatus.PENDING,
                Instant.now().truncatedTo(ChronoUnit.MICROS).minusMillis(100));
        REFERENCES.down(true);

        sweep.sweepOnce();              // cancels it, and its compensation's first attempt fails
        compensations.compensateOpen(); // a retry, as the background does every half second: fails again

        Order after = repository.find(expired.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(after.reason()).isEqualTo("DEADLINE_EXCEEDED");
        Map<String, Object> open = compensation(expired.id());
        assertThat(open.get("refunded_at")).isNull();
        assertThat(open.get("released_at")).isNull();
        // two attempts here, and the background retries may add theirs
        assertThat(((Number) open.get("attempts")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat((String) open.get("last_error")).contains("payment-service");

        REFERENCES.down(false);
        compensations.compensateOpen(); // what its retries in the background do every half second

        Map<String, Object> done = compensation(expired.id());
        assertThat(done.get("refunded_at")).isNotNull();
        assertThat(done.get("released_at")).isNotNull();
        assertThat(done.get("last_error")).isNull();
        assertThat(REFERENCES.posts("/payments/" + expired.id() + "/refund")).contains("deadline-refund-" + expired.id());
        assertThat(REFERENCES.posts("/reservations/" + expired.id() + "/release"))
                .containsExactly("deadline-release-" + expired.id());
    }

    private Map<String, Object> compensation(UUID orderId) {
        return jdbc.sql("SELECT * FROM order_compensation WHERE order_id = ?").param(orderId)
                .query().singleRow();
    }

    private Order insert(Flow flow, OrderStatus status, Instant deadlineAt) {
        Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS).minusSeconds(5);
        Order order = new Order(UUID.randomUUID(), "C-0001", flow, status, null, new BigDecimal("25.00"),
                List.of(new OrderLine("SKU-0001", 2, new BigDecimal("12.50"))), createdAt,
                status == OrderStatus.PENDING ? null : createdAt.plusSeconds(1), deadlineAt);
        repository.insert(order, "deadline-it-" + order.id());
        return order;
    }
}

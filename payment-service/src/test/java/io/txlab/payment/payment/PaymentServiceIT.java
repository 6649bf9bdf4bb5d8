package io.txlab.payment.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.RejectionReason;
import io.txlab.devstack.testing.Concurrently;
import io.txlab.payment.PaymentTestContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

class PaymentServiceIT extends PaymentTestContext {

    @Autowired
    PaymentService payments;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @AfterEach
    void moneyIsConserved() {
        assertThat(jdbc.sql("SELECT count(*) FROM money_conservation WHERE discrepancy <> 0").query(Long.class).single())
                .as("accounts whose initial balance != balance + authorized")
                .isZero();
    }

    @Test
    void authorizingDebitsTheBalance() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0001");

        PaymentOutcome outcome = payments.authorize(orderId, "C-0001", new BigDecimal("12.5"));

        assertThat(outcome.result()).isEqualTo(PaymentOutcome.Result.AUTHORIZED);
        assertThat(outcome.authorized()).isTrue();
        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.amount()).isEqualTo(new BigDecimal("12.50"));
        assertThat(balance("C-0001")).isEqualByComparingTo(before.subtract(new BigDecimal("12.50")));
        Payment stored = payments.find(orderId).orElseThrow();
        assertThat(stored.status()).isEqualTo(PaymentStatus.AUTHORIZED);
        assertThat(stored.customerId()).isEqualTo("C-0001");
        assertThat(stored.amount()).isEqualByComparingTo("12.50");
        assertThat(stored.createdAt()).isNotNull();
        assertThat(stored.refundedAt()).isNull();
    }

    @Test
    void insufficientFundsDeclinesAndLeavesTheBalanceAlone() {
        UUID orderId = UUID.randomUUID();

        PaymentOutcome outcome = payments.authorize(orderId, "BROKE-01", new BigDecimal("0.01"));

        assertThat(outcome.result()).isEqualTo(PaymentOutcome.Result.DECLINED);
        assertThat(outcome.reason()).isEqualTo(RejectionReason.INSUFFICIENT_FUNDS);
        assertThat(balance("BROKE-01")).isEqualByComparingTo("0.00");
        Payment stored = payments.find(orderId).orElseThrow();
        assertThat(stored.status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(stored.reason()).isEqualTo(RejectionReason.INSUFFICIENT_FUNDS);
    }

    @Test
    void anAmountJustAboveTheBalanceIsDeclined() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0002");

        PaymentOutcome outcome = payments.authorize(orderId, "C-0002", before.add(new BigDecimal("0.01")));

        assertThat(outcome.reason()).isEqualTo(RejectionReason.INSUFFICIENT_FUNDS);
        assertThat(balance("C-0002")).isEqualByComparingTo(before);
    }

    @Test
    void anUnknownCustomerIsDeclined() {
        UUID orderId = UUID.randomUUID();

        PaymentOutcome outcome = payments.authorize(orderId, "NO-SUCH-CUSTOMER", BigDecimal.TEN);

        assertThat(outcome.result()).isEqualTo(PaymentOutcome.Result.DECLINED);
        assertThat(outcome.reason()).isEqualTo(RejectionReason.UNKNOWN_CUSTOMER);
        assertThat(payments.find(orderId).orElseThrow().reason()).isEqualTo(RejectionReason.UNKNOWN_CUSTOMER);
    }

    @Test
    void authorizingTheSameOrderTwiceDebitsOnce() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0003");

        PaymentOutcome first = payments.authorize(orderId, "C-0003", new BigDecimal("40.00"));
        PaymentOutcome second = payments.authorize(orderId, "C-0003", new BigDecimal("40.00"));

        assertThat(first.replayed()).isFalse();
        assertThat(second.replayed()).isTrue();
        assertThat(second.result()).isEqualTo(PaymentOutcome.Result.AUTHORIZED);
        assertThat(second.amount()).isEqualByComparingTo("40.00");
        assertThat(balance("C-0003")).isEqualByComparingTo(before.subtract(new BigDecimal("40.00")));
        assertThat(paymentCount(orderId)).isEqualTo(1);
    }

    @Test
    void aReplayedDeclineStaysDeclined() {
        UUID orderId = UUID.randomUUID();
        payments.authorize(orderId, "BROKE-02", BigDecimal.ONE);

        PaymentOutcome replay = payments.authorize(orderId, "BROKE-02", BigDecimal.ONE);

        assertThat(replay.replayed()).isTrue();
        assertThat(replay.result()).isEqualTo(PaymentOutcome.Result.DECLINED);
        assertThat(replay.reason()).isEqualTo(RejectionReason.INSUFFICIENT_FUNDS);
    }

    @Test
    void refundingTwiceCreditsOnce() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0004");
        payments.authorize(orderId, "C-0004", new BigDecimal("99.99"));

        RefundOutcome first = payments.refund(orderId);
        RefundOutcome second = payments.refund(orderId);

        assertThat(first.result()).isEqualTo(RefundOutcome.Result.REFUNDED);
        assertThat(first.credited()).isEqualByComparingTo("99.99");
        assertThat(second.result()).isEqualTo(RefundOutcome.Result.ALREADY_REFUNDED);
        assertThat(second.credited()).isEqualByComparingTo("0");
        assertThat(balance("C-0004")).isEqualByComparingTo(before);
        Payment stored = payments.find(orderId).orElseThrow();
        assertThat(stored.status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(stored.refundedAt()).isNotNull();
        assertThat(stored.isTombstone()).isFalse();
    }

    @Test
    void anAuthorizationAfterTheRefundIsRefusedAndDebitsNothing() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0005");

        RefundOutcome refund = payments.refund(orderId);
        PaymentOutcome late = payments.authorize(orderId, "C-0005", BigDecimal.TEN);

        assertThat(refund.result()).isEqualTo(RefundOutcome.Result.TOMBSTONE_RECORDED);
        assertThat(late.result()).isEqualTo(PaymentOutcome.Result.ALREADY_REFUNDED);
        assertThat(late.authorized()).isFalse();
        assertThat(balance("C-0005")).isEqualByComparingTo(before);
        Payment tombstone = payments.find(orderId).orElseThrow();
        assertThat(tombstone.isTombstone()).isTrue();
        assertThat(tombstone.amount()).isEqualByComparingTo("0");
        assertThat(payments.refund(orderId).result()).isEqualTo(RefundOutcome.Result.ALREADY_REFUNDED);
    }

    @Test
    void refundingADeclinedPaymentChangesNothing() {
        UUID orderId = UUID.randomUUID();
        payments.authorize(orderId, "BROKE-03", BigDecimal.ONE);

        RefundOutcome refund = payments.refund(orderId);

        assertThat(refund.result()).isEqualTo(RefundOutcome.Result.NOTHING_AUTHORIZED);
        assertThat(balance("BROKE-03")).isEqualByComparingTo("0");
        assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.DECLINED);
    }

    @Test
    void anAmountThatIsNotPositiveOrFinerThanCentsIsAProgrammingError() {
        UUID orderId = UUID.randomUUID();

        assertThatThrownBy(() -> payments.authorize(orderId, "C-0006", BigDecimal.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> payments.authorize(orderId, "C-0006", new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> payments.authorize(orderId, "C-0006", new BigDecimal("1.001")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(paymentCount(orderId)).isZero();
    }

    @Test
    void joinsTheCallersTransaction() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0007");

        transaction.executeWithoutResult(status -> {
            assertThat(payments.authorize(orderId, "C-0007", BigDecimal.ONE).authorized()).isTrue();
            status.setRollbackOnly();
        });

        assertThat(paymentCount(orderId)).isZero();
        assertThat(balance("C-0007")).isEqualByComparingTo(before);
    }

    @Test
    void concurrentAuthorizationsNeverOverdraw() throws Exception {
        // C-0999 starts with 1,000,000.00: exactly ten payments of 100,000.00 fit.
        BigDecimal amount = new BigDecimal("100000.00");
        int threads = 20;
        AtomicInteger authorized = new AtomicInteger();
        List<UUID> orders = Collections.synchronizedList(new ArrayList<>());

        Concurrently.run(threads, () -> {
            UUID orderId = UUID.randomUUID();
            PaymentOutcome outcome = payments.authorize(orderId, "C-0999", amount);
            if (outcome.authorized()) {
                authorized.incrementAndGet();
                orders.add(orderId);
            } else {
                assertThat(outcome.reason()).isEqualTo(RejectionReason.INSUFFICIENT_FUNDS);
            }
            return null;
        });

        assertThat(authorized.get()).isEqualTo(10);
        assertThat(balance("C-0999")).isEqualByComparingTo("0.00");

        Concurrently.run(threads, () -> {
            // Every thread refunds every order: concurrent refunds of one order credit it once.
            for (int i = 0; i < orders.size(); i++) {
                payments.refund(orders.get(i));
            }
            return null;
        });
        assertThat(balance("C-0999")).isEqualByComparingTo("1000000.00");
    }

    @Test
    void concurrentAuthorizationsOfTheSameOrderDebitOnce() throws Exception {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0008");
        AtomicInteger firstCalls = new AtomicInteger();

        Concurrently.run(8, () -> {
            PaymentOutcome outcome = payments.authorize(orderId, "C-0008", new BigDecimal("3.00"));
            assertThat(outcome.authorized()).isTrue();
            if (!outcome.replayed()) {
                firstCalls.incrementAndGet();
            }
            return null;
        });

        assertThat(firstCalls.get()).isEqualTo(1);
        assertThat(balance("C-0008")).isEqualByComparingTo(before.subtract(new BigDecimal("3.00")));
    }

    @Test
    void aRefundRacingItsAuthorizationNeverLeaksMoney() throws Exception {
        BigDecimal before = balance("C-0009");
        for (int i = 0; i < 25; i++) {
            UUID orderId = UUID.randomUUID();
            Concurrently.run(2, List.of(
                    () -> payments.authorize(orderId, "C-0009", BigDecimal.ONE),
                    () -> payments.refund(orderId)));
            // Whichever ran first, the order ends refunded and holds nothing.
            assertThat(payments.find(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.REFUNDED);
        }
        assertThat(balance("C-0009")).isEqualByComparingTo(before);
    }

    private BigDecimal balance(String customerId) {
        return jdbc.sql("SELECT balance FROM account WHERE customer_id = :id").param("id", customerId)
                .query(BigDecimal.class).single();
    }

    private long paymentCount(UUID orderId) {
        return jdbc.sql("SELECT count(*) FROM payment WHERE order_id = :id").param("id", orderId)
                .query(Long.class).single();
    }
}

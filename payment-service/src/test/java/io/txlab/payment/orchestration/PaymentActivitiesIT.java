package io.txlab.payment.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.failure.ApplicationFailure;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.orchestration.AuthorizePayment;
import io.txlab.contracts.orchestration.PaymentAuthorizationResult;
import io.txlab.contracts.orchestration.RefundPayment;
import io.txlab.payment.PaymentTestContext;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The payment activities called directly, as the Temporal worker calls them, against the service's real database. */
class PaymentActivitiesIT extends PaymentTestContext {

    @Autowired
    PaymentActivitiesImpl activities;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void moneyIsConserved() {
        assertThat(jdbc.sql("SELECT count(*) FROM money_conservation WHERE discrepancy <> 0").query(Long.class)
                .single()).isZero();
    }

    @Test
    void authorizingTwiceForOneRequestDebitsOnce() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0311");
        AuthorizePayment command = AuthorizePayment.forOrder(orderId, "C-0311", new BigDecimal("25.50"));

        PaymentAuthorizationResult first = activities.authorizePayment(command);
        PaymentAuthorizationResult retried = activities.authorizePayment(command);

        assertThat(first).isEqualTo(PaymentAuthorizationResult.authorized());
        assertThat(retried).isEqualTo(first);
        assertThat(balance("C-0311")).isEqualByComparingTo(before.subtract(new BigDecimal("25.50")));
        assertThat(status(orderId)).isEqualTo("AUTHORIZED");
    }

    @Test
    void insufficientFundsAndUnknownCustomerAreResultsThatDebitNothing() {
        UUID broke = UUID.randomUUID();

        assertThat(activities.authorizePayment(AuthorizePayment.forOrder(broke, "BROKE-01", new BigDecimal("10.00"))))
                .isEqualTo(PaymentAuthorizationResult.declined(RejectionReason.INSUFFICIENT_FUNDS));
        assertThat(activities.authorizePayment(
                AuthorizePayment.forOrder(UUID.randomUUID(), "NO-SUCH-CUSTOMER", new BigDecimal("10.00"))))
                .isEqualTo(PaymentAuthorizationResult.declined(RejectionReason.UNKNOWN_CUSTOMER));

        assertThat(balance("BROKE-01")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(status(broke)).isEqualTo("DECLINED");
    }

    @Test
    void refundingTwiceCreditsOnce() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0312");
        activities.authorizePayment(AuthorizePayment.forOrder(orderId, "C-0312", new BigDecimal("40.00")));

        activities.refundPayment(RefundPayment.forOrder(orderId));
        activities.refundPayment(RefundPayment.forOrder(orderId));

        assertThat(balance("C-0312")).isEqualByComparingTo(before);
        assertThat(status(orderId)).isEqualTo("REFUNDED");
    }

    @Test
    void anAuthorizationThatArrivesAfterItsRefundIsDeclinedAsTechnicalFailureAndDebitsNothing() {
        UUID orderId = UUID.randomUUID();
        BigDecimal before = balance("C-0313");

        activities.refundPayment(RefundPayment.forOrder(orderId));
        PaymentAuthorizationResult late = activities.authorizePayment(
                AuthorizePayment.forOrder(orderId, "C-0313", new BigDecimal("5.00")));

        assertThat(late).isEqualTo(PaymentAuthorizationResult.declined(RejectionReason.TECHNICAL_FAILURE));
        assertThat(balance("C-0313")).isEqualByComparingTo(before);
    }

    @Test
    void invalidAmountIsANonRetryableFailure() {
        assertThatThrownBy(() -> activities.authorizePayment(
                AuthorizePayment.forOrder(UUID.randomUUID(), "C-0314", new BigDecimal("-1.00"))))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getType()).isEqualTo("InvalidInput");
                });
    }

    private BigDecimal balance(String customerId) {
        return jdbc.sql("SELECT balance FROM account WHERE customer_id = ?").param(customerId)
                .query(BigDecimal.class).single();
    }

    private String status(UUID orderId) {
        return jdbc.sql("SELECT status FROM payment WHERE order_id = ?").param(orderId).query(String.class).single();
    }
}

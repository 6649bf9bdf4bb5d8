package io.txlab.payment.payment;

import io.txlab.contracts.RejectionReason;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for accounts and payments. Runs in the caller's transaction (JdbcClient binds to the Spring-managed
 * connection), so a pattern package can add its outbox row or its PREPARE TRANSACTION around it.
 */
@Repository
public class PaymentRepository {

    private static final String PAYMENT_COLUMNS =
            "order_id, customer_id, amount, status, reason, created_at, refunded_at";

    private final JdbcClient jdbc;

    public PaymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Account> findAccount(String customerId) {
        return jdbc.sql("SELECT customer_id, balance FROM account WHERE customer_id = :customerId")
                .param("customerId", customerId)
                .query((rs, n) -> new Account(rs.getString("customer_id"), rs.getBigDecimal("balance")))
                .optional();
    }

    public boolean accountExists(String customerId) {
        return jdbc.sql("SELECT count(*) FROM account WHERE customer_id = :customerId")
                .param("customerId", customerId)
                .query(Long.class)
                .single() > 0;
    }

    /**
     * Inserts an AUTHORIZED payment row unless the order already has one. A concurrent insert of the same order
     * makes this wait on the primary key until that transaction ends, so exactly one caller gets {@code true}.
     */
    public boolean claimPayment(UUID orderId, String customerId, BigDecimal amount) {
        return jdbc.sql("""
                        INSERT INTO payment (order_id, customer_id, amount, status, created_at)
                        VALUES (:orderId, :customerId, :amount, 'AUTHORIZED', now())
                        ON CONFLICT (order_id) DO NOTHING""")
                .param("orderId", orderId)
                .param("customerId", customerId)
                .param("amount", amount)
                .update() == 1;
    }

    /** Inserts a REFUNDED payment of 0 without a customer unless the order already has a payment. */
    public boolean insertTombstone(UUID orderId) {
        return jdbc.sql("""
                        INSERT INTO payment (order_id, customer_id, amount, status, created_at, refunded_at)
                        VALUES (:orderId, NULL, 0, 'REFUNDED', now(), now())
                        ON CONFLICT (order_id) DO NOTHING""")
                .param("orderId", orderId)
                .update() == 1;
    }

    /** Debits only if the balance covers the amount; {@code false} means nothing changed. */
    public boolean debit(String customerId, BigDecimal amount) {
        return jdbc.sql("""
                        UPDATE account SET balance = balance - :amount
                        WHERE customer_id = :customerId AND balance >= :amount""")
                .param("amount", amount)
                .param("customerId", customerId)
                .update() == 1;
    }

    public void credit(String customerId, BigDecimal amount) {
        int updated = jdbc.sql("UPDATE account SET balance = balance + :amount WHERE customer_id = :customerId")
                .param("amount", amount)
                .param("customerId", customerId)
                .update();
        if (updated != 1) {
            throw new IllegalStateException("account " + customerId + " vanished while money was held for it");
        }
    }

    public void markDeclined(UUID orderId, RejectionReason reason) {
        jdbc.sql("UPDATE payment SET status = 'DECLINED', reason = :reason WHERE order_id = :orderId")
                .param("reason", reason.name())
                .param("orderId", orderId)
                .update();
    }

    public void markRefunded(UUID orderId) {
        jdbc.sql("UPDATE payment SET status = 'REFUNDED', refunded_at = now() WHERE order_id = :orderId")
                .param("orderId", orderId)
                .update();
    }

    public Optional<Payment> find(UUID orderId) {
        return jdbc.sql("SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE order_id = :orderId")
                .param("orderId", orderId)
                .query(PaymentRepository::payment)
                .optional();
    }

    /** Reads the payment and row-locks it until the transaction ends. */
    public Optional<Payment> lock(UUID orderId) {
        return jdbc.sql("SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE order_id = :orderId FOR UPDATE")
                .param("orderId", orderId)
                .query(PaymentRepository::payment)
                .optional();
    }

    private static Payment payment(ResultSet rs, int row) throws SQLException {
        String reason = rs.getString("reason");
        return new Payment(
                rs.getObject("order_id", UUID.class),
                rs.getString("customer_id"),
                rs.getBigDecimal("amount"),
                PaymentStatus.valueOf(rs.getString("status")),
                reason == null ? null : RejectionReason.valueOf(reason),
                instant(rs, "created_at"),
                instant(rs, "refunded_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

package io.txlab.payment.payment;

import java.math.BigDecimal;

/** A customer's account; {@code balance} is what can still be authorized. */
public record Account(String customerId, BigDecimal balance) {
}

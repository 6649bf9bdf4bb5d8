package io.txlab.payment.api;

import io.txlab.payment.payment.Account;
import java.math.BigDecimal;

/** A customer's account as the API shows it. */
public record CustomerResponse(String customerId, BigDecimal balance) {

    static CustomerResponse of(Account account) {
        return new CustomerResponse(account.customerId(), account.balance());
    }
}

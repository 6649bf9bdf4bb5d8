package io.txlab.payment.api;

import io.txlab.payment.payment.PaymentService;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Customer accounts, read-only. order-service checks customers here before it accepts an order. */
@RestController
public class CustomerController {

    private final PaymentService payments;

    public CustomerController(PaymentService payments) {
        this.payments = payments;
    }

    @GetMapping("/customers/{customerId}")
    public ResponseEntity<?> customer(@PathVariable String customerId) {
        return payments.findAccount(customerId)
                .<ResponseEntity<?>>map(account -> ResponseEntity.ok(CustomerResponse.of(account)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(PaymentProblems.customerNotFound(customerId)));
    }
}

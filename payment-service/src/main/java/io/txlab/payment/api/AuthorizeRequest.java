package io.txlab.payment.api;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.UUID;

/** Body of {@code POST /payments}: charge {@code amount} to the customer for the order. */
public record AuthorizeRequest(
        @NotNull UUID orderId,
        @NotBlank @Size(max = 64) String customerId,
        @NotNull @Positive @Digits(integer = 12, fraction = 2) BigDecimal amount) {
}

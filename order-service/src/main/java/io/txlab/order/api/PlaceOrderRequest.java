package io.txlab.order.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * Body of {@code POST /orders}. The bounds keep every total within {@code numeric(14,2)}:
 * 100 lines x 10 000 units x 999 999.99 < 10^12.
 */
public record PlaceOrderRequest(
        @NotBlank @Size(max = 64) String customerId,
        @NotBlank String flow,
        @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Line> lines) {

    public record Line(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Min(1) @Max(10_000) Integer quantity,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 6, fraction = 2)
            BigDecimal unitPrice) {
    }
}

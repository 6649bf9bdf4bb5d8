package io.txlab.order.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;

/**
 * Body of {@code POST /orders}. The bounds keep every total within {@code numeric(14,2)}:
 * 100 lines x 10 000 units x 999 999.99 < 10^12. Customer ids and SKUs are URL-safe words (letters, digits,
 * {@code . _ ~ -}): they become path segments of the owners' APIs, so a slash, a control character or NUL is refused
 * here (400) instead of failing there. A fractional quantity is refused by the JSON reader (400), not truncated.
 * {@code deadlineSeconds} is optional: how long the order may stay PENDING before its flow gives up and cancels it
 * with {@code DEADLINE_EXCEEDED} (adr/0038); at least 0.1, at most {@code txlab.orders.max-deadline} (400 beyond),
 * {@code txlab.orders.deadline} when absent.
 */
public record PlaceOrderRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = ID, message = ID_MESSAGE) String customerId,
        @NotBlank String flow,
        @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Line> lines,
        @DecimalMin(value = "0.1") @Digits(integer = 7, fraction = 3) BigDecimal deadlineSeconds) {

    /** The request without a deadline (the service's default applies). */
    public PlaceOrderRequest(String customerId, String flow, List<Line> lines) {
        this(customerId, flow, lines, null);
    }

    public record Line(
            @NotBlank @Size(max = 64) @Pattern(regexp = ID, message = ID_MESSAGE) String sku,
            @NotNull @Min(1) @Max(10_000) Integer quantity,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 6, fraction = 2)
            BigDecimal unitPrice) {
    }

    /** What a customer id or SKU may contain: RFC 3986's unreserved characters. */
    static final String ID = "[A-Za-z0-9._~-]*";
    static final String ID_MESSAGE = "must contain only letters, digits and . _ ~ -";
}

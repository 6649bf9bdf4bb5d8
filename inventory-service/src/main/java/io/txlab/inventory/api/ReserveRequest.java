package io.txlab.inventory.api;

import io.txlab.inventory.inventory.StockLine;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/** Body of {@code POST /reservations}. Boxed numbers so that a missing field is reported as missing, not as 0. */
public record ReserveRequest(
        @NotNull UUID orderId,
        @NotEmpty @Size(max = 100) List<@NotNull @Valid Line> lines) {

    public record Line(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Positive @Max(1_000_000) Integer quantity) {
    }

    List<StockLine> stockLines() {
        return lines.stream().map(line -> new StockLine(line.sku(), line.quantity())).toList();
    }
}

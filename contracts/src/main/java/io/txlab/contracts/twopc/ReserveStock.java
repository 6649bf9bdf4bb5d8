package io.txlab.contracts.twopc;

import io.txlab.contracts.inventory.StockLine;
import java.util.List;
import java.util.UUID;

/**
 * The inventory branch's operation in a {@code twopc} transaction: order-service puts it in the {@link PrepareRequest},
 * the coordinator forwards it as the prepare body, inventory-service executes it:
 * {@code {"orderId":"…","lines":[{"sku":"SKU-0001","quantity":2}]}}.
 */
public record ReserveStock(UUID orderId, List<StockLine> lines) {
}

package io.txlab.inventory.twopc;

import io.txlab.inventory.inventory.StockLine;
import java.util.List;
import java.util.UUID;

/**
 * The inventory participant's operation in a {@code twopc} transaction, forwarded by the coordinator as the prepare
 * body: {@code {"orderId":"…","lines":[{"sku":"SKU-0001","quantity":2}]}}.
 */
public record ReserveStock(UUID orderId, List<StockLine> lines) {
}

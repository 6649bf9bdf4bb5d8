package io.txlab.inventory.inventory;

import io.txlab.contracts.RejectionReason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Inventory's record of one order.
 *
 * @param reason     why it was {@link ReservationStatus#REJECTED}; {@code null} otherwise
 * @param lines      the stock it took, sorted by SKU; empty for rejections and for release-first tombstones
 * @param releasedAt when it was released; {@code null} unless {@link ReservationStatus#RELEASED}
 * @param pending    held under a semantic lock until the order is final (ADR 44); only ever on a RESERVED one
 */
public record Reservation(
        UUID orderId,
        ReservationStatus status,
        RejectionReason reason,
        List<StockLine> lines,
        Instant createdAt,
        Instant releasedAt,
        boolean pending) {

    public Reservation {
        lines = List.copyOf(lines);
    }

    /** A RELEASED reservation without lines was written by a release that came before any reserve. */
    public boolean isTombstone() {
        return status == ReservationStatus.RELEASED && lines.isEmpty();
    }
}

package io.txlab.inventory.api;

import io.txlab.contracts.RejectionReason;
import io.txlab.inventory.inventory.Reservation;
import io.txlab.inventory.inventory.ReservationStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A reservation as the API shows it.
 *
 * @param pending the stock is held under a semantic lock until the order is final (ADR 44): a reader that honours the
 *                lock does not count it as sold yet
 */
public record ReservationResponse(
        UUID orderId,
        ReservationStatus status,
        RejectionReason reason,
        List<Line> lines,
        Instant createdAt,
        Instant releasedAt,
        boolean pending) {

    public record Line(String sku, int quantity) {
    }

    static ReservationResponse of(Reservation reservation) {
        return new ReservationResponse(
                reservation.orderId(),
                reservation.status(),
                reservation.reason(),
                reservation.lines().stream().map(line -> new Line(line.sku(), line.quantity())).toList(),
                reservation.createdAt(),
                reservation.releasedAt(),
                reservation.pending());
    }
}

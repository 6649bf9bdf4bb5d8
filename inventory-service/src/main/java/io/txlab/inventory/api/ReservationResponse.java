package io.txlab.inventory.api;

import io.txlab.contracts.RejectionReason;
import io.txlab.inventory.inventory.Reservation;
import io.txlab.inventory.inventory.ReservationStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A reservation as the API shows it. */
public record ReservationResponse(
        UUID orderId,
        ReservationStatus status,
        RejectionReason reason,
        List<Line> lines,
        Instant createdAt,
        Instant releasedAt) {

    public record Line(String sku, int quantity) {
    }

    static ReservationResponse of(Reservation reservation) {
        return new ReservationResponse(
                reservation.orderId(),
                reservation.status(),
                reservation.reason(),
                reservation.lines().stream().map(line -> new Line(line.sku(), line.quantity())).toList(),
                reservation.createdAt(),
                reservation.releasedAt());
    }
}

package io.txlab.inventory.inventory;

import io.txlab.contracts.RejectionReason;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@link InventoryService#reserve} decided. Business refusals are values, never exceptions, so a caller can
 * record them in the same transaction (an event in the outbox, a cancelled order, a 2PC "no" vote).
 *
 * @param result   the decision
 * @param reason   why it was {@link Result#REJECTED}; {@code null} for the other results
 * @param lines    the stock held, sorted by SKU, when {@link Result#RESERVED}; empty otherwise
 * @param replayed {@code true} when the order had been seen before and this call changed nothing
 * @param pending  {@code true} when the stock is held under a semantic lock (ADR 44): the reservation stays PENDING
 *                 until {@link InventoryService#settle} or {@link InventoryService#release}
 */
public record ReservationOutcome(
        UUID orderId, Result result, RejectionReason reason, List<StockLine> lines, boolean replayed, boolean pending) {

    public enum Result {
        /** Every line is held. */
        RESERVED,
        /** Nothing is held: some line was short ({@code OUT_OF_STOCK}) or unknown ({@code UNKNOWN_SKU}). */
        REJECTED,
        /**
         * Nothing is held because the order was released before (or after) this reserve: the compensation won,
         * so the order is being cancelled already and the reserve must not take stock.
         */
        ALREADY_RELEASED
    }

    public ReservationOutcome {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(result, "result");
        lines = List.copyOf(lines);
        if ((result == Result.REJECTED) != (reason != null)) {
            throw new IllegalArgumentException("a reason is given exactly for REJECTED outcomes");
        }
        if (pending && result != Result.RESERVED) {
            throw new IllegalArgumentException("only a RESERVED outcome can be pending");
        }
    }

    static ReservationOutcome reserved(UUID orderId, List<StockLine> lines, boolean pending) {
        return new ReservationOutcome(orderId, Result.RESERVED, null, lines, false, pending);
    }

    static ReservationOutcome rejected(UUID orderId, RejectionReason reason) {
        return new ReservationOutcome(orderId, Result.REJECTED, reason, List.of(), false, false);
    }

    /** The outcome the stored reservation stands for, flagged as a replay. */
    static ReservationOutcome replayOf(Reservation existing) {
        return switch (existing.status()) {
            case RESERVED -> new ReservationOutcome(existing.orderId(), Result.RESERVED, null, existing.lines(), true,
                    existing.pending());
            case REJECTED -> new ReservationOutcome(existing.orderId(), Result.REJECTED, existing.reason(), List.of(),
                    true, false);
            case RELEASED -> new ReservationOutcome(existing.orderId(), Result.ALREADY_RELEASED, null, List.of(), true,
                    false);
        };
    }

    public boolean reserved() {
        return result == Result.RESERVED;
    }
}

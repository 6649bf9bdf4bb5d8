package io.txlab.inventory.inventory;

import io.txlab.contracts.RejectionReason;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The inventory domain core: reserve all of an order's stock or none, release it, and settle a reservation held
 * under a semantic lock (ADR 44). Every flow calls these same
 * methods - the choreography listener, the Temporal activity, the 2PC participant and the REST API - so they import
 * no messaging, workflow or 2PC code, and they join the caller's transaction (propagation REQUIRED) so that the
 * caller can add its own writes (outbox, inbox, idempotency key) atomically.
 *
 * <p>Both methods are idempotent per order id: the reservation row is the memory of what was decided.
 */
@Service
public class InventoryService {

    private final InventoryRepository repository;

    public InventoryService(InventoryRepository repository) {
        this.repository = repository;
    }

    /**
     * Holds stock for every line of the order, or for none of them.
     *
     * <p>A second call for the same order returns the first decision (flagged {@code replayed}) and takes nothing;
     * a call after the order was released returns {@link ReservationOutcome.Result#ALREADY_RELEASED}. Lines naming the
     * same SKU are summed. The rejection reason is {@code UNKNOWN_SKU} if any SKU is unknown, else
     * {@code OUT_OF_STOCK}; a rejection is recorded so that a replay gives the same answer.
     *
     * @throws IllegalArgumentException if {@code lines} is empty
     */
    @Transactional
    public ReservationOutcome reserve(UUID orderId, List<StockLine> lines) {
        return reserve(orderId, lines, SemanticLocks.IGNORE);
    }

    /**
     * {@link #reserve(UUID, List)}, with products flagged {@code semantic_lock} treated as {@code locks} says (ADR 44):
     * under {@link SemanticLocks#HOLD} a reservation that takes a flagged product's stock is held as pending until
     * {@link #settle} or {@link #release}; under {@link SemanticLocks#HOLD_AND_WAIT} a shortage that pending
     * reservations could make good is not refused but thrown.
     *
     * @throws StockHeldByPendingOrders under {@code HOLD_AND_WAIT} when every short line is a flagged product and
     *                                  pending reservations hold what is missing; nothing is recorded
     */
    @Transactional
    public ReservationOutcome reserve(UUID orderId, List<StockLine> lines, SemanticLocks locks) {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(locks, "locks");
        Map<String, Integer> wanted = bySku(lines);
        if (!repository.claimReservation(orderId)) {
            Reservation existing = repository.find(orderId).orElseThrow(() -> new IllegalStateException(
                    "reservation " + orderId + " conflicted on insert but cannot be read"));
            return ReservationOutcome.replayOf(existing);
        }
        Map<String, InventoryRepository.LockedStock> stock = repository.lockStock(wanted.keySet());
        if (!stock.keySet().containsAll(wanted.keySet())) {
            repository.markRejected(orderId, RejectionReason.UNKNOWN_SKU);
            return ReservationOutcome.rejected(orderId, RejectionReason.UNKNOWN_SKU);
        }
        Map<String, Integer> shortOf = new TreeMap<>();
        wanted.forEach((sku, quantity) -> {
            if (stock.get(sku).available() < quantity) {
                shortOf.put(sku, stock.get(sku).available());
            }
        });
        if (!shortOf.isEmpty()) {
            if (locks == SemanticLocks.HOLD_AND_WAIT && shortOf.keySet().stream().allMatch(s -> stock.get(s).semanticLock())) {
                Map<String, Integer> pending = repository.pendingStock(shortOf.keySet());
                if (shortOf.entrySet().stream().allMatch(
                        e -> e.getValue() + pending.getOrDefault(e.getKey(), 0) >= wanted.get(e.getKey()))) {
                    throw new StockHeldByPendingOrders(orderId, shortOf, pending);
                }
            }
            repository.markRejected(orderId, RejectionReason.OUT_OF_STOCK);
            return ReservationOutcome.rejected(orderId, RejectionReason.OUT_OF_STOCK);
        }
        List<StockLine> held = wanted.entrySet().stream().map(e -> new StockLine(e.getKey(), e.getValue())).toList();
        for (StockLine line : held) {
            // The rows are locked and were checked above; the guard makes a broken invariant fail loudly.
            if (!repository.takeStock(line.sku(), line.quantity())) {
                throw new IllegalStateException("stock of locked product " + line.sku() + " changed underneath");
            }
        }
        repository.insertLines(orderId, held);
        boolean pending = locks != SemanticLocks.IGNORE && held.stream().anyMatch(l -> stock.get(l.sku()).semanticLock());
        if (pending) {
            repository.markPending(orderId);
        }
        return ReservationOutcome.reserved(orderId, held, pending);
    }

    /**
     * The order is final and keeps its stock: a pending reservation's semantic lock is lifted (ADR 44). Idempotent;
     * {@code false} when there was nothing to settle (settled before, released, never pending or never seen).
     */
    @Transactional
    public boolean settle(UUID orderId) {
        Objects.requireNonNull(orderId, "orderId");
        return repository.markSettled(orderId);
    }

    /**
     * Gives the order's stock back, once. Releasing an order inventory has never seen records a RELEASED tombstone,
     * so a reserve that arrives later (messages can overtake each other) takes nothing.
     */
    @Transactional
    public ReleaseOutcome release(UUID orderId) {
        Objects.requireNonNull(orderId, "orderId");
        Optional<Reservation> locked = repository.lock(orderId);
        if (locked.isEmpty()) {
            if (repository.insertTombstone(orderId)) {
                return new ReleaseOutcome(orderId, ReleaseOutcome.Result.TOMBSTONE_RECORDED, List.of());
            }
            // A concurrent reserve or release inserted the row first and has committed by now.
            locked = repository.lock(orderId);
        }
        Reservation reservation = locked.orElseThrow(() -> new IllegalStateException(
                "reservation " + orderId + " conflicted on insert but cannot be read"));
        return switch (reservation.status()) {
            case RESERVED -> {
                // Lines come back sorted by SKU: the same lock order as reserve.
                for (StockLine line : reservation.lines()) {
                    repository.returnStock(line.sku(), line.quantity());
                }
                repository.markReleased(orderId);
                yield new ReleaseOutcome(orderId, ReleaseOutcome.Result.RELEASED, reservation.lines());
            }
            case RELEASED -> new ReleaseOutcome(orderId, ReleaseOutcome.Result.ALREADY_RELEASED, List.of());
            case REJECTED -> new ReleaseOutcome(orderId, ReleaseOutcome.Result.NOTHING_RESERVED, List.of());
        };
    }

    @Transactional(readOnly = true)
    public Optional<Reservation> find(UUID orderId) {
        return repository.find(orderId);
    }

    @Transactional(readOnly = true)
    public Optional<Product> findProduct(String sku) {
        return repository.findProduct(sku);
    }

    /** Products in SKU order, a page at a time. */
    @Transactional(readOnly = true)
    public List<Product> products(int offset, int limit) {
        return repository.findProducts(offset, limit);
    }

    /** Quantities per SKU in SKU order (the lock order), duplicates summed. */
    private static Map<String, Integer> bySku(List<StockLine> lines) {
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("a reservation needs at least one line");
        }
        Map<String, Integer> wanted = new TreeMap<>();
        for (StockLine line : lines) {
            wanted.merge(line.sku(), line.quantity(), Math::addExact);
        }
        return wanted;
    }
}

package io.txlab.inventory.api;

import io.txlab.contracts.RejectionReason;
import io.txlab.inventory.inventory.InventoryService;
import io.txlab.inventory.inventory.Reservation;
import io.txlab.inventory.inventory.ReservationOutcome;
import io.txlab.inventory.inventory.ReservationStatus;
import io.txlab.inventory.inventory.StockLine;
import io.txlab.platform.idempotency.IdempotencyKeyHeader;
import io.txlab.platform.idempotency.IdempotencyKeys;
import io.txlab.platform.internal.ManualCompensationGuard;
import io.txlab.platform.web.UnknownReferenceException;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reservations over HTTP. Each request runs in one transaction: the idempotency key, the domain call and any
 * rejection record commit together. Client errors that must leave no trace (unknown SKU, conflicting lines) are
 * thrown inside that transaction so that it rolls back; business refusals (out of stock, already released) are
 * committed like successes, so a replay of the same key gets the same answer.
 */
@RestController
public class ReservationController {

    static final String RESERVE_SCOPE = "reserve";
    static final String RELEASE_SCOPE = "release";

    private final InventoryService inventory;
    private final IdempotencyKeys idempotencyKeys;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final ManualCompensationGuard compensations;

    public ReservationController(
            InventoryService inventory, IdempotencyKeys idempotencyKeys, TransactionTemplate transaction,
            JsonMapper json, ManualCompensationGuard compensations) {
        this.compensations = compensations;
        this.inventory = inventory;
        this.idempotencyKeys = idempotencyKeys;
        this.transaction = transaction;
        this.json = json;
    }

    @PostMapping("/reservations")
    public ResponseEntity<?> reserve(
            @RequestHeader(IdempotencyKeyHeader.NAME) String idempotencyKey,
            @Valid @RequestBody ReserveRequest request) {
        String key = IdempotencyKeyHeader.require(idempotencyKey);
        String fingerprint = IdempotencyKeys.fingerprint(json.writeValueAsString(request));
        Reply reply = transaction.execute(status -> {
            IdempotencyKeys.Claim claim = idempotencyKeys.claim(RESERVE_SCOPE, key, fingerprint);
            if (claim instanceof IdempotencyKeys.Claim.Replay replay) {
                UUID orderId = UUID.fromString(replay.resourceId());
                return new Reply(inventory.find(orderId).orElseThrow(), false);
            }
            ReservationOutcome outcome = inventory.reserve(request.orderId(), request.stockLines());
            if (outcome.reason() == RejectionReason.UNKNOWN_SKU) {
                throw new UnknownReferenceException("sku", unknownSkus(request));
            }
            Reservation reservation = inventory.find(request.orderId()).orElseThrow();
            if (outcome.replayed() && outcome.reserved() && !reservation.lines().equals(merged(request.stockLines()))) {
                throw InventoryProblems.differentLines(request.orderId(), reservation.lines());
            }
            idempotencyKeys.complete(RESERVE_SCOPE, key, request.orderId().toString());
            return new Reply(reservation, !outcome.replayed());
        });
        return reserveResponse(reply);
    }

    @PostMapping("/reservations/{orderId}/release")
    public ResponseEntity<ReservationResponse> release(
            @RequestHeader(IdempotencyKeyHeader.NAME) String idempotencyKey, @PathVariable UUID orderId) {
        String key = IdempotencyKeyHeader.require(idempotencyKey);
        // Never a flow's compensation (those run in its own package): never for an order its customer was told is done.
        compensations.requireCompensable(orderId, "release");
        Reservation reservation = transaction.execute(status -> {
            idempotencyKeys.claim(RELEASE_SCOPE, key, IdempotencyKeys.fingerprint(orderId.toString()));
            // Releasing is idempotent by itself; the key only ties a retried request to its order.
            inventory.release(orderId);
            idempotencyKeys.complete(RELEASE_SCOPE, key, orderId.toString());
            return inventory.find(orderId).orElseThrow();
        });
        return ResponseEntity.ok(ReservationResponse.of(reservation));
    }

    @GetMapping("/reservations/{orderId}")
    public ResponseEntity<?> reservation(@PathVariable UUID orderId) {
        return inventory.find(orderId)
                .<ResponseEntity<?>>map(reservation -> ResponseEntity.ok(ReservationResponse.of(reservation)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(InventoryProblems.reservationNotFound(orderId)));
    }

    /**
     * The stored reservation decides the reply, so a replayed key answers as the first request did - unless the
     * order was released in between, which the reply then reports (409) because nothing is held any more.
     */
    private static ResponseEntity<?> reserveResponse(Reply reply) {
        Reservation reservation = reply.reservation();
        if (reservation.status() == ReservationStatus.REJECTED) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(InventoryProblems.outOfStock(reservation.orderId()));
        }
        if (reservation.status() == ReservationStatus.RELEASED) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(InventoryProblems.released(reservation.orderId()));
        }
        ReservationResponse body = ReservationResponse.of(reservation);
        return reply.created()
                ? ResponseEntity.created(URI.create("/reservations/" + reservation.orderId())).body(body)
                : ResponseEntity.ok(body);
    }

    private List<String> unknownSkus(ReserveRequest request) {
        return request.lines().stream()
                .map(ReserveRequest.Line::sku)
                .distinct()
                .filter(sku -> inventory.findProduct(sku).isEmpty())
                .sorted()
                .toList();
    }

    /** The lines as the domain stores them: one per SKU, summed, sorted. */
    private static List<StockLine> merged(List<StockLine> lines) {
        Map<String, Integer> bySku = new TreeMap<>();
        lines.forEach(line -> bySku.merge(line.sku(), line.quantity(), Integer::sum));
        return bySku.entrySet().stream().map(e -> new StockLine(e.getKey(), e.getValue())).toList();
    }

    private record Reply(Reservation reservation, boolean created) {
    }
}

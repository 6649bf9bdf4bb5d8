package io.txlab.platform.twopc;

import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.Vote;
import io.txlab.platform.idempotency.IdempotencyKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The participant HTTP endpoints of the {@code twopc} protocol (see {@code io.txlab.contracts.twopc}), for a service
 * to extend in its {@code twopc/} package with a {@code @RestController} that implements {@link #execute} by calling
 * its domain core:
 * <pre>{@code
 * @RestController
 * class InventoryParticipant extends TwopcParticipantEndpoint<ReserveStock> {
 *     InventoryParticipant(PreparedTransactions tx, InventoryService inventory) { super(tx); ... }
 *     protected Vote execute(String gid, ReserveStock op) {
 *         ReservationOutcome outcome = inventory.reserve(op.orderId(), op.lines());
 *         return outcome.reserved() ? Vote.yes() : Vote.no(outcome.reason().name());
 *     }
 * }
 * }</pre>
 *
 * @param <O> the operation body the coordinator forwards to this participant
 */
public abstract class TwopcParticipantEndpoint<O> {

    private static final Logger log = LoggerFactory.getLogger(TwopcParticipantEndpoint.class);

    private final PreparedTransactions transactions;
    /** Canonical JSON of the operation, for its fingerprint; Boot's mapper, set by Spring. */
    private JsonMapper json = JsonMapper.builder().build();

    protected TwopcParticipantEndpoint(PreparedTransactions transactions) {
        this.transactions = transactions;
    }

    @Autowired(required = false)
    void setJsonMapper(JsonMapper json) {
        this.json = json;
    }

    /** Runs inside the transaction that will be prepared; must not commit on its own. */
    protected abstract Vote execute(String gid, O operation);

    /**
     * Prepares the branch. The request is recorded with the gid first (ADR 19): the same gid with another operation is
     * refused with NO, and the coordinator's epoch ({@value Decision#EPOCH_HEADER}) is kept for recovery.
     */
    @PostMapping("/twopc/{gid}/prepare")
    public Vote prepare(@PathVariable String gid,
                        @RequestHeader(name = Decision.EPOCH_HEADER, required = false) String coordinatorEpoch,
                        @RequestBody O operation) {
        Gid.requireValid(gid);
        try {
            PreparedTransactions.Request request = new PreparedTransactions.Request(
                    IdempotencyKeys.fingerprint(json.writeValueAsString(operation)), coordinatorEpoch);
            return transactions.prepare(gid, request, () -> execute(gid, operation));
        } catch (DataAccessException e) {
            // A lock timeout, a serialization failure or a lost connection: nothing is prepared, vote NO.
            log.warn("prepare {} failed: {}", gid, e.toString());
            return Vote.no("TECHNICAL_FAILURE: " + e.getMostSpecificCause().getMessage());
        }
    }

    @PostMapping("/twopc/{gid}/commit")
    public Resolution commit(@PathVariable String gid) {
        return new Resolution(gid, transactions.commitPrepared(Gid.requireValid(gid)));
    }

    @PostMapping("/twopc/{gid}/rollback")
    public Resolution rollback(@PathVariable String gid) {
        return new Resolution(gid, transactions.rollbackPrepared(Gid.requireValid(gid)));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail invalidGid(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}

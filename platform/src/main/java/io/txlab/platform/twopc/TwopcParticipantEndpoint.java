package io.txlab.platform.twopc;

import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.Vote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

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

    protected TwopcParticipantEndpoint(PreparedTransactions transactions) {
        this.transactions = transactions;
    }

    /** Runs inside the transaction that will be prepared; must not commit on its own. */
    protected abstract Vote execute(String gid, O operation);

    @PostMapping("/twopc/{gid}/prepare")
    public Vote prepare(@PathVariable String gid, @RequestBody O operation) {
        Gid.requireValid(gid);
        try {
            return transactions.prepare(gid, () -> execute(gid, operation));
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

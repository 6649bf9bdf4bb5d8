package io.txlab.inventory.twopc;

import io.txlab.contracts.Flow;
import io.txlab.contracts.twopc.ReserveStock;
import io.txlab.contracts.twopc.Vote;
import io.txlab.inventory.inventory.InventoryService;
import io.txlab.inventory.inventory.ReservationOutcome;
import io.txlab.inventory.inventory.StockLine;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.twopc.PreparedTransactions;
import io.txlab.platform.twopc.TwopcParticipantEndpoint;
import org.springframework.web.bind.annotation.RestController;

/**
 * Inventory's branch of a {@code twopc} order: {@link InventoryService#reserve} on the connection that is then
 * {@code PREPARE}d, so the stock taken (and the {@code product} row locks) stay held in PostgreSQL until the
 * coordinator's COMMIT or ROLLBACK. A business refusal rolls back the local transaction and votes NO with the
 * rejection reason; nothing is recorded, since under 2PC the refusal is the vote, not a stored reservation.
 */
@RestController
@ConditionalOnFlow(Flow.TWOPC)
public class InventoryParticipant extends TwopcParticipantEndpoint<ReserveStock> {

    private final InventoryService inventory;

    public InventoryParticipant(PreparedTransactions transactions, InventoryService inventory) {
        super(transactions);
        this.inventory = inventory;
    }

    @Override
    protected Vote execute(String gid, ReserveStock operation) {
        ReservationOutcome outcome = inventory.reserve(operation.orderId(), operation.lines().stream()
                .map(line -> new StockLine(line.sku(), line.quantity())).toList());
        return switch (outcome.result()) {
            case RESERVED -> Vote.yes();
            case REJECTED -> Vote.no(outcome.reason().name());
            // A tombstone: the order was released before this prepare arrived; taking stock now would leak it.
            case ALREADY_RELEASED -> Vote.no("TECHNICAL_FAILURE: order " + operation.orderId() + " was already released");
        };
    }
}

package io.txlab.order.twopc;

import io.txlab.contracts.Flow;
import io.txlab.contracts.twopc.ConfirmOrder;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.Vote;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.platform.flows.ConditionalOnFlow;
import io.txlab.platform.twopc.CommitListener;
import io.txlab.platform.twopc.PreparedTransactions;
import io.txlab.platform.twopc.TwopcParticipantEndpoint;
import java.util.Optional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The order's branch of a {@code twopc} transaction: {@link OrderService#confirm} on the connection that is then
 * {@code PREPARE}d, so the order becomes CONFIRMED exactly when stock and payment commit, in the same global
 * transaction. The order row was inserted PENDING (and committed) by {@code POST /orders} before the protocol
 * started; this branch only moves it to CONFIRMED.
 *
 * <p>Votes NO unless the order exists, belongs to flow {@code twopc}, is still PENDING and the gid is the one derived
 * from its id ({@link Gid#of}): a recovery sweep that cancelled the order first wins, and the gid names the order.
 *
 * <p>The early-event problem: {@link OrderService#confirm} announces {@code OrderFinalized} after the Spring commit,
 * which here is the PREPARE - the order is not CONFIRMED for anyone else yet, and may never be. The confirmation
 * therefore is {@link OrderService#confirmUnannounced}, and it is announced right after
 * {@code COMMIT PREPARED} succeeded: by {@link TwopcSettlement} when this service resolves its own branch (the default,
 * ADR 56), by {@link #commit} when the coordinator commits the branch, by {@link #committed} when the participant
 * recovery does (so a recovered order is counted as finished too).
 */
@RestController
@ConditionalOnFlow(Flow.TWOPC)
public class OrderParticipant extends TwopcParticipantEndpoint<ConfirmOrder> implements CommitListener {

    private final OrderService orders;

    public OrderParticipant(PreparedTransactions transactions, OrderService orders) {
        super(transactions);
        this.orders = orders;
    }

    @Override
    protected Vote execute(String gid, ConfirmOrder operation) {
        if (operation.orderId() == null || !Gid.of(operation.orderId()).equals(gid)) {
            return Vote.no("TECHNICAL_FAILURE: gid " + gid + " does not belong to order " + operation.orderId());
        }
        Optional<Order> stored = orders.find(operation.orderId());
        if (stored.isEmpty()) {
            return Vote.no("TECHNICAL_FAILURE: order " + operation.orderId() + " does not exist");
        }
        Order order = stored.get();
        if (order.flow() != Flow.TWOPC || order.status() != OrderStatus.PENDING) {
            return Vote.no("TECHNICAL_FAILURE: order " + order.id() + " is " + order.status() + " in flow "
                    + order.flow().id());
        }
        // The guarded UPDATE inside confirm decides: a cancel that committed since the read above leaves it CANCELLED.
        Order confirmed = orders.confirmUnannounced(order.id());
        return confirmed.status() == OrderStatus.CONFIRMED
                ? Vote.yes()
                : Vote.no("TECHNICAL_FAILURE: order " + order.id() + " became " + confirmed.status());
    }

    @Override
    @PostMapping("/twopc/{gid}/commit")
    public Resolution commit(@PathVariable String gid) {
        Resolution resolution = super.commit(gid);
        if (resolution.result() == Resolution.Result.COMMITTED) {
            committed(gid);
        }
        return resolution;
    }

    @Override
    public void committed(String globalGid) {
        orders.announceFinal(Gid.uuidOf(globalGid));
    }
}

package io.txlab.order.order;

import io.txlab.contracts.Flow;
import java.util.Optional;
import java.util.UUID;

/**
 * A flow whose system of record for the whole order is a store other than order-service's own database, so that
 * placing the order is not "write the order here, then start a saga" but one atomic write there (the
 * {@code cockroach} flow: order, stock, balance and payment in one serializable transaction).
 *
 * <p>The REST layer consults a route before {@link OrderService}: for {@link #flow()} it places through
 * {@link #place} (no {@link FlowLauncher}, no order row in order-service's database), and {@code GET /orders/{id}}
 * falls back to {@link #find} for ids its own database does not hold. Writing the order here as well would be a dual
 * write, i.e. a saga again.
 */
public interface OrderPlacementRoute {

    Flow flow();

    /**
     * Places the order once per idempotency key and returns it final (CONFIRMED, or CANCELLED with a
     * {@link io.txlab.contracts.RejectionReason} name); a key seen before with the same command replays the order it
     * placed. The route validates the customer and SKUs itself, against its own store.
     *
     * @throws io.txlab.platform.idempotency.IdempotencyKeyReusedException if the key came with another command
     */
    PlacementResult place(String idempotencyKey, PlaceOrder cmd);

    /** An order this route placed, final by construction. */
    Optional<Order> find(UUID orderId);

    /** The store that actually holds these orders, named truthfully (e.g. {@code postgresql-serializable-standin}). */
    String backend();
}

package io.txlab.order.cockroach;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.inventory.inventory.InventoryService;
import io.txlab.inventory.inventory.Product;
import io.txlab.inventory.inventory.ReservationOutcome;
import io.txlab.inventory.inventory.StockLine;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderFinalized;
import io.txlab.order.order.OrderFlow;
import io.txlab.order.order.OrderPlaced;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.order.OrderSteps.Step;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.order.PlaceOrder;
import io.txlab.order.order.PlacementResult;
import io.txlab.order.order.ReferenceChecks;
import io.txlab.payment.payment.PaymentOutcome;
import io.txlab.payment.payment.PaymentService;
import io.txlab.platform.idempotency.IdempotencyKeys.Claim;
import io.txlab.platform.idempotency.IdempotencyKeys;
import io.txlab.platform.tracing.OrderTracing;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code cockroach} flow: the whole order is one serializable transaction on the flow's own database, so there
 * is no saga, no compensation and no PENDING state.
 *
 * <p>The stock and money rules are not this flow's own: it runs the inventory core's {@link InventoryService} and
 * the payment core's {@link PaymentService}, the code inventory-service and payment-service run for the four other
 * flows, over tables created from the same schema files, all inside its one transaction (ADR 29). The five flows
 * differ only in how they coordinate those rules.
 *
 * <p>The placing transaction, run again by {@link SerializationRetry} whenever the database cannot serialize it:
 * <ol>
 *   <li>claim the idempotency key (a replay ends here, answering the order the key placed);</li>
 *   <li>reserve the stock of every line (the inventory core: all or nothing, rows locked in SKU order);</li>
 *   <li>authorize the total against the customer's balance (the payment core);</li>
 *   <li>insert the order CONFIRMED with its lines, complete the key; commit.</li>
 * </ol>
 * A refusal by either core (OUT_OF_STOCK, UNKNOWN_SKU, INSUFFICIENT_FUNDS, UNKNOWN_CUSTOMER) rolls that transaction
 * back, the rejected reservation or declined payment the core recorded with it, so nothing of it is applied, and a
 * second small transaction
 * (also retried) claims the key and records the order CANCELLED with the reason, so that it stays visible and a
 * repeated request replays it. Between the two, a concurrent request with the same key may have placed the order;
 * the claim then replays that one instead.
 *
 * <p>Customers, SKUs and prices are validated here, against this database, not through order-service's catalogue:
 * this database is the system of record of the flow's products and accounts. They are checked before the transaction
 * and answered as every other flow answers them (422 {@code unknown-customer}, {@code unknown-sku} naming each,
 * {@code price-mismatch}; nothing written); known customers and prices are cached, since nothing deletes a customer
 * or a product and no API changes a price. The transaction's own guards stay, so a refusal can never half-apply.
 */
public class CockroachFlow implements OrderFlow, ApplicationEventPublisherAware {

    private final CockroachOrders orders;
    private final InventoryService inventory;
    private final PaymentService payments;
    private final IdempotencyKeys idempotencyKeys;
    private final TransactionTemplate tx;
    private final SerializationRetry retry;
    private final CockroachBackend backend;
    /**
     * Announces each new order as placed and final (the same in-process events as {@link OrderService}), so that
     * order metrics count this flow like the others; set by Spring, a no-op when the flow is built by hand.
     */
    private ApplicationEventPublisher events = event -> { };
    private final OrderTracing tracing;
    /** The same checks as every flow's, answered from this flow's own tables. */
    private final ReferenceChecks checks;

    CockroachFlow(CockroachOrders orders, InventoryService inventory, PaymentService payments,
                  IdempotencyKeys idempotencyKeys, TransactionTemplate tx, SerializationRetry retry,
                  CockroachBackend backend, OrderTracing tracing) {
        this.orders = orders;
        this.inventory = inventory;
        this.payments = payments;
        this.checks = new ReferenceChecks(new ReferenceChecks.Source() {
            @Override
            public ReferenceChecks.CustomerAnswer customer(String customerId) {
                return payments.findAccount(customerId).isPresent()
                        ? ReferenceChecks.CustomerAnswer.EXISTS : ReferenceChecks.CustomerAnswer.UNKNOWN;
            }

            @Override
            public BigDecimal price(String sku) {
                return inventory.findProduct(sku).map(Product::price).orElse(null);
            }
        });
        this.tracing = tracing;
        this.idempotencyKeys = idempotencyKeys;
        this.tx = tx;
        this.retry = retry;
        this.backend = backend;
    }

    @Override
    public void setApplicationEventPublisher(ApplicationEventPublisher publisher) {
        this.events = publisher;
    }

    @Override
    public Flow flow() {
        return Flow.COCKROACH;
    }

    @Override
    public String backend() {
        return backend.id();
    }

    /**
     * The order and its lines in one transaction, retried on 40001 like the writes: at SERIALIZABLE a read can be
     * the transaction the database aborts (PostgreSQL's SSI picks readers too; CockroachDB restarts reads that meet
     * an uncertain write), and a long-poll must not answer 500 for it.
     */
    @Override
    public Optional<Order> find(UUID orderId) {
        return retry.run("find", new SerializationRetry.Retries(), () -> tx.execute(status -> orders.find(orderId)));
    }

    /** One transaction placed and finalized the order at once: nothing ran before it, nothing to compensate. */
    @Override
    public OrderSteps steps(Order order) {
        Step step = new Step("serializable-transaction", order.status().name(), order.completedAt(),
                order.reason() != null ? order.reason() : backend());
        return new OrderSteps(order.id(), order.flow().id(), order.status().name(), order.reason(), "transaction",
                List.of(step), List.of(), null);
    }

    /** How many retries the request that placed {@code orderId} needed, as recorded on its row. */
    Optional<Integer> retriesRecorded(UUID orderId) {
        return orders.retries(orderId);
    }

    @Override
    public PlacementResult place(String idempotencyKey, PlaceOrder cmd) {
        if (cmd.flow() != Flow.COCKROACH) {
            throw new IllegalArgumentException("the cockroach flow places cockroach orders, not " + cmd.flow().id());
        }
        checks.require(cmd.customerId(), cmd.lines());
        Request request = new Request(idempotencyKey, OrderService.fingerprint(cmd), UUID.randomUUID(), cmd, now());
        // The id this request places under (a replay answers with the earlier order, whose id differs).
        try (OrderTracing.Scope correlated = tracing.correlate(request.orderId(), Flow.COCKROACH.id())) {
            return placeCorrelated(request);
        }
    }

    private PlacementResult placeCorrelated(Request request) {
        SerializationRetry.Retries retries = new SerializationRetry.Retries();
        Placement placement;
        try {
            placement = retry.run("place", retries, () -> tx.execute(status -> placeOnce(request, retries, status)));
        } catch (SerializationRetriesExhaustedException e) {
            retry.recordAttempts("EXHAUSTED", retries.count() + 1);
            throw e;
        }
        if (placement instanceof Placement.Refused refused) {
            int placeAttempts = retries.count() + 1;
            placement = retry.run("cancel", retries,
                    () -> tx.execute(status -> recordCancelled(request, refused.reason(), retries)));
            retry.recordAttempts("CANCELLED", placeAttempts);
        }
        if (placement instanceof Placement.Replayed replayed) {
            return new PlacementResult(replayed.order(), true);
        }
        Order order = ((Placement.Placed) placement).order();
        if (order.status() == OrderStatus.CONFIRMED) {
            retry.recordAttempts("CONFIRMED", retries.count() + 1);
        }
        // After the commit: the order was placed and became final in the same transaction.
        events.publishEvent(new OrderPlaced(order));
        events.publishEvent(new OrderFinalized(order));
        return new PlacementResult(order, false);
    }

    private Placement placeOnce(Request request, SerializationRetry.Retries retries, TransactionStatus status) {
        Optional<Placement> replay = claim(request);
        if (replay.isPresent()) {
            return replay.get();
        }
        PlaceOrder cmd = request.cmd();
        // A retry runs with the same order id, but its earlier attempt was rolled back: the cores see a new order.
        ReservationOutcome reservation = inventory.reserve(request.orderId(), stockLines(cmd));
        if (!reservation.reserved()) {
            status.setRollbackOnly();
            return new Placement.Refused(refusal(reservation.reason(), reservation));
        }
        BigDecimal total = cmd.total();
        PaymentOutcome payment = payments.authorize(request.orderId(), cmd.customerId(), total);
        if (!payment.authorized()) {
            status.setRollbackOnly();
            return new Placement.Refused(refusal(payment.reason(), payment));
        }
        Order order = new Order(request.orderId(), cmd.customerId(), Flow.COCKROACH, OrderStatus.CONFIRMED, null,
                total, cmd.lines(), request.createdAt(), now());
        orders.insert(order, request.idempotencyKey(), retries.count());
        idempotencyKeys.complete(OrderService.PLACE_ORDER_SCOPE, request.idempotencyKey(), order.id().toString());
        return new Placement.Placed(order);
    }

    private Placement recordCancelled(Request request, RejectionReason reason, SerializationRetry.Retries retries) {
        Optional<Placement> replay = claim(request);
        if (replay.isPresent()) {
            return replay.get();
        }
        PlaceOrder cmd = request.cmd();
        Order order = new Order(request.orderId(), cmd.customerId(), Flow.COCKROACH, OrderStatus.CANCELLED,
                reason.name(), cmd.total(), cmd.lines(), request.createdAt(), now());
        orders.insert(order, request.idempotencyKey(), retries.count());
        idempotencyKeys.complete(OrderService.PLACE_ORDER_SCOPE, request.idempotencyKey(), order.id().toString());
        return new Placement.Placed(order);
    }

    /** Claims the key in the current transaction; a replay when the key already placed an order. */
    private Optional<Placement> claim(Request request) {
        Claim claim = idempotencyKeys.claim(OrderService.PLACE_ORDER_SCOPE, request.idempotencyKey(),
                request.fingerprint());
        if (claim instanceof Claim.Replay replay) {
            UUID id = UUID.fromString(replay.resourceId());
            return Optional.of(new Placement.Replayed(orders.find(id).orElseThrow(() -> new IllegalStateException(
                    "idempotency key '" + request.idempotencyKey() + "' points at missing order " + id))));
        }
        return Optional.empty();
    }

    /** The order's lines as the inventory core takes them (it sums duplicate SKUs and locks in SKU order). */
    private static List<StockLine> stockLines(PlaceOrder cmd) {
        return cmd.lines().stream().map(line -> new StockLine(line.sku(), line.quantity())).toList();
    }

    /**
     * A core's refusal. Only a rejection with a reason is one: a reserve after a release or an authorization after a
     * refund cannot happen to an order id no earlier transaction committed.
     */
    private static RejectionReason refusal(RejectionReason reason, Record outcome) {
        if (reason == null) {
            throw new IllegalStateException("a fresh order met a compensation that nothing ran: " + outcome);
        }
        return reason;
    }

    /** PostgreSQL and CockroachDB keep microseconds: truncate so the returned order equals the stored one. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private record Request(String idempotencyKey, String fingerprint, UUID orderId, PlaceOrder cmd,
                           Instant createdAt) {
    }

    private sealed interface Placement {
        record Placed(Order order) implements Placement {
        }

        record Replayed(Order order) implements Placement {
        }

        record Refused(RejectionReason reason) implements Placement {
        }
    }
}

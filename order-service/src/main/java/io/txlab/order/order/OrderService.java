package io.txlab.order.order;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.order.OrderLine;
import io.txlab.platform.idempotency.IdempotencyKeys.Claim;
import io.txlab.platform.idempotency.IdempotencyKeys;
import io.txlab.platform.tracing.OrderTracing;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The order domain core, called the same way by the REST API and by every flow package.
 *
 * <p>Transactions are explicit ({@link TransactionTemplate}, propagation REQUIRED) rather than {@code @Transactional}
 * so that {@link #place} can finish one transaction, start the flow, and still finalize the order itself when the
 * flow's start fails, without depending on calls going through a proxy. {@link #confirm} and {@link #cancel} join a
 * surrounding transaction, so a flow package can add its inbox/outbox writes atomically.
 *
 * <p>The core knows no flow: a flow is an {@link OrderFlow} that calls {@link #place(String, PlaceOrder, FlowStart)}
 * with what it does around the placement, and later {@link #confirm} or {@link #cancel}.
 */
@Service
public class OrderService {

    /** The idempotency scope of order placement in the platform's {@code idempotency_key} table. */
    public static final String PLACE_ORDER_SCOPE = "place-order";

    private static final Logger log = LoggerFactory.getLogger(OrderService.class);

    private final OrderRepository repository;
    private final IdempotencyKeys idempotencyKeys;
    private final ReferenceChecks references;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final OrderTracing tracing;

    /**
     * @param references where the customer, SKUs and prices are looked up (the owning services); the checks
     *                   themselves and their cache are {@link ReferenceChecks}
     */
    public OrderService(OrderRepository repository, IdempotencyKeys idempotencyKeys, ReferenceChecks.Source references,
                        ApplicationEventPublisher events, PlatformTransactionManager transactionManager,
                        OrderTracing tracing) {
        this.tracing = tracing;
        this.repository = repository;
        this.idempotencyKeys = idempotencyKeys;
        this.references = new ReferenceChecks(references);
        this.events = events;
        this.tx = new TransactionTemplate(transactionManager);
    }

    /**
     * Places an order once per idempotency key in order-service's database and starts its flow after the order row
     * committed: {@code start.onPlaced} inside the placing transaction, {@code start.start} after it.
     *
     * <p>The customer, SKUs and prices are checked first ({@link ReferenceChecks}), before anything is written. A key
     * seen before with the same command returns the order it placed ({@code replayed}, flow not started again); with a
     * different command it throws. Must be called outside a transaction: the flow may only start once the order is
     * durable.
     *
     * @throws UnknownReferenceException naming an unknown customer, or else every unknown SKU
     * @throws PriceMismatchException    naming every line whose unit price is not the catalogue's
     * @throws io.txlab.platform.idempotency.IdempotencyKeyReusedException if the key came with another command
     */
    public PlacementResult place(String idempotencyKey, PlaceOrder cmd, FlowStart start) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("place() commits the order before starting its flow;"
                    + " call it outside a transaction");
        }
        Objects.requireNonNull(start, "start");
        references.require(cmd.customerId(), cmd.lines());
        // The order id is born in the transaction below; from there on it travels with the trace as baggage (HTTP,
        // Kafka, outbox rows, Temporal) until this call returns.
        OrderTracing.Scope[] correlation = {OrderTracing.Scope.NONE};
        try {
            return placeAndStart(idempotencyKey, cmd, start, correlation);
        } finally {
            correlation[0].close();
        }
    }

    private PlacementResult placeAndStart(String idempotencyKey, PlaceOrder cmd, FlowStart start,
                                          OrderTracing.Scope[] correlation) {
        PlacementResult placed = tx.execute(status -> {
            Claim claim = idempotencyKeys.claim(PLACE_ORDER_SCOPE, idempotencyKey, fingerprint(cmd));
            if (claim instanceof Claim.Replay replay) {
                UUID id = UUID.fromString(replay.resourceId());
                return new PlacementResult(repository.find(id).orElseThrow(() -> new OrderNotFoundException(id)),
                        true);
            }
            Instant createdAt = now();
            Order order = new Order(UUID.randomUUID(), cmd.customerId(), cmd.flow(), OrderStatus.PENDING, null,
                    cmd.total(), cmd.lines(), createdAt, null,
                    cmd.deadline() == null ? null : createdAt.plus(cmd.deadline()).truncatedTo(ChronoUnit.MICROS));
            correlation[0] = tracing.correlate(order.id(), order.flow().id());
            repository.insert(order, idempotencyKey);
            idempotencyKeys.complete(PLACE_ORDER_SCOPE, idempotencyKey, order.id().toString());
            // Inside the placing transaction: a flow may add writes that must commit with the order (outbox).
            start.onPlaced(order);
            return new PlacementResult(order, false);
        });
        if (placed.replayed()) {
            return placed;
        }
        events.publishEvent(new OrderPlaced(placed.order()));
        return new PlacementResult(start(start, placed.order()), false);
    }

    /** Confirms a PENDING order; returns the order unchanged if it is already final (whichever way). */
    public Order confirm(UUID orderId) {
        return tx.execute(status -> finish(orderId, OrderStatus.CONFIRMED, null, true));
    }

    /**
     * {@link #confirm} without the after-commit {@link OrderFinalized}: for a caller whose Spring "commit" does not
     * make the change visible. A 2PC branch ends its transaction with {@code PREPARE TRANSACTION}, and the order is
     * final for other readers only at {@code COMMIT PREPARED}, possibly never; such a caller announces with
     * {@link #announceFinal} once the change really committed.
     */
    public Order confirmUnannounced(UUID orderId) {
        return tx.execute(status -> finish(orderId, OrderStatus.CONFIRMED, null, false));
    }

    /**
     * Cancels a PENDING order with {@code reason} (a {@link RejectionReason} name); returns the order unchanged if
     * it is already final (whichever way).
     */
    public Order cancel(UUID orderId, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a cancellation needs a reason");
        }
        return tx.execute(status -> finish(orderId, OrderStatus.CANCELLED, reason, true));
    }

    public Optional<Order> find(UUID orderId) {
        return repository.find(orderId);
    }

    /**
     * Publishes {@link OrderFinalized} for the order as it is stored now, if it is final; for finalizations made by
     * {@link #confirmUnannounced}, called once after they committed. Reading the row (not trusting the caller) keeps
     * the event's promise: whoever wakes up sees what every reader sees.
     *
     * @return the stored order, if it exists
     */
    public Optional<Order> announceFinal(UUID orderId) {
        Optional<Order> stored = repository.find(orderId);
        stored.filter(Order::isFinal).ifPresent(order -> events.publishEvent(new OrderFinalized(order)));
        return stored;
    }

    /**
     * Ids of orders of {@code flow} still PENDING that were created before {@code createdBefore}, oldest first, at
     * most {@code limit}: what a flow's recovery sweep looks at when its driver may have died mid-flow.
     */
    public List<UUID> findStalePending(Flow flow, Instant createdBefore, int limit) {
        return repository.findPendingIds(flow, createdBefore, limit);
    }

    /** Ids of PENDING orders of {@code flows} whose deadline has passed, earliest first, at most {@code limit}. */
    public List<UUID> findPastDeadline(Collection<Flow> flows, int limit) {
        return repository.findPastDeadline(flows, Instant.now(), limit);
    }

    /** The orders among {@code orderIds} that are already final. */
    public List<Order> findFinal(Collection<UUID> orderIds) {
        return orderIds.isEmpty() ? List.of() : repository.findFinal(orderIds);
    }

    /** The orders among {@code orderIds} that exist. */
    public List<Order> findAll(Collection<UUID> orderIds) {
        return orderIds.isEmpty() ? List.of() : repository.findAll(orderIds);
    }

    private Order start(FlowStart start, Order order) {
        try {
            start.start(order);
        } catch (RuntimeException e) {
            log.warn("flow {} did not start for order {}; cancelling it", order.flow(), order.id(), e);
            return cancel(order.id(), RejectionReason.TECHNICAL_FAILURE.name());
        }
        // The order as placed, not re-read: every flow here hands off and finishes later. Whoever wants the final
        // state waits for it (Prefer: wait, waitForFinal), which also sees a finalization that beat this return.
        return order;
    }

    private Order finish(UUID orderId, OrderStatus target, String reason, boolean announceAtCommit) {
        Optional<Order> finished = repository.finish(orderId, target, reason, now());
        if (finished.isEmpty()) {
            return repository.find(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
        }
        Order order = finished.get();
        if (announceAtCommit) {
            // Published after commit so that whoever wakes up (long-polls) reads the final state, and only once:
            // a rolled-back or repeated call publishes nothing.
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    events.publishEvent(new OrderFinalized(order));
                }
            });
        }
        return order;
    }

    /** PostgreSQL keeps microseconds: truncate so the returned order equals the stored one. */
    private Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * The canonical form of a command for idempotency: field order fixed, prices without trailing zeros, so that
     * {@code 12.5} and {@code 12.50} are the same request.
     */
    public static String fingerprint(PlaceOrder cmd) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (OrderLine line : cmd.lines()) {
            Map<String, Object> canonical = new LinkedHashMap<>();
            canonical.put("sku", line.sku());
            canonical.put("quantity", line.quantity());
            canonical.put("unitPrice", line.unitPrice().stripTrailingZeros().toPlainString());
            lines.add(canonical);
        }
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("customerId", cmd.customerId());
        canonical.put("flow", cmd.flow().id());
        canonical.put("lines", lines);
        return IdempotencyKeys.fingerprint(JsonMapper.shared().writeValueAsString(canonical));
    }
}

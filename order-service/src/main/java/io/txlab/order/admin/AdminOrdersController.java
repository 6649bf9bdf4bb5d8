package io.txlab.order.admin;

import io.txlab.order.order.Order;
import io.txlab.order.order.OrderRepository;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.saga.SagaCompensations;
import io.txlab.order.saga.SagaReadModel;
import io.txlab.platform.web.ProblemDetailsAdvice;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's view of orders that did not finish: {@code GET /admin/orders?status=PENDING&olderThan=30s} lists them,
 * every flow, oldest first, each with its steps ({@link SagaReadModel}, the same document as
 * {@code /orders/{id}/steps}); {@code GET /admin/orders/summary?olderThan=30s} counts them per flow;
 * {@code GET /admin/compensations} lists the cancelled saga orders whose compensation is still open. Read-only, like
 * every other read of this service; the page {@code /admin/} shows both.
 */
@RestController
class AdminOrdersController {

    static final int MAX_LIMIT = 500;

    private final OrderRepository orders;
    private final SagaReadModel sagas;
    private final OperatorActions actions;
    private final boolean actionsEnabled;
    private final SagaCompensations compensations;

    AdminOrdersController(OrderRepository orders, SagaReadModel sagas, OperatorActions actions,
                          @Value("${" + AdminOrderActionsController.ENABLED + ":false}") boolean actionsEnabled,
                          SagaCompensations compensations) {
        this.compensations = compensations;
        this.orders = orders;
        this.sagas = sagas;
        this.actions = actions;
        this.actionsEnabled = actionsEnabled;
    }

    /**
     * One order that has been in {@code status} for longer than asked, with what its flow recorded so far.
     *
     * @param resolution the operator's RESOLVE record; null when none
     */
    record Entry(UUID id, String flow, String status, String customerId, BigDecimal total, Instant createdAt,
                 double ageSeconds, OrderSteps steps, OperatorActions.Action resolution) {
    }

    /**
     * @param truncated      true when more orders matched than {@code limit}
     * @param actionsEnabled whether this process takes operator actions ({@code POST /admin/orders/{id}/resolve})
     */
    record Listing(String status, String olderThan, Instant asOf, int limit, boolean truncated, boolean withResolved,
                   boolean actionsEnabled, List<Entry> orders) {
    }

    record Summary(String olderThan, Instant asOf, List<OrderRepository.FlowCounts> flows) {
    }

    @GetMapping("/admin/orders")
    Listing list(@RequestParam(defaultValue = "PENDING") String status,
                 @RequestParam(name = "olderThan", defaultValue = "30s") String olderThanParam,
                 @RequestParam(defaultValue = "100") int limit,
                 @RequestParam(defaultValue = "false") boolean withResolved) {
        OrderStatus wanted = status(status);
        Duration olderThan = duration(olderThanParam);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        Instant now = Instant.now();
        List<Order> found = orders.findOlderThan(wanted, now.minus(olderThan), withResolved, limit + 1);
        List<Order> shown = found.stream().limit(limit).toList();
        java.util.Map<UUID, OperatorActions.Action> resolutions = withResolved
                ? actions.findAll(shown.stream().map(Order::id).toList(), OperatorActions.RESOLVE)
                : java.util.Map.of();
        List<Entry> entries = shown.stream()
                .map(o -> new Entry(o.id(), o.flow().id(), o.status().name(), o.customerId(), o.total(), o.createdAt(),
                        Duration.between(o.createdAt(), now).toMillis() / 1000.0, sagas.view(o),
                        resolutions.get(o.id())))
                .toList();
        return new Listing(wanted.name(), olderThan.toString(), now, limit, found.size() > limit, withResolved,
                actionsEnabled, entries);
    }

    /** @param truncated true when more compensations are open than {@code limit} */
    record OpenCompensations(Instant asOf, int limit, boolean truncated, List<SagaCompensations.State> compensations) {
    }

    /**
     * Saga orders order-service cancelled itself (at their deadline, or by an operator) whose refund or release has not
     * been done yet, because a participant has not answered: they are retried until it does (adr/0038).
     */
    @GetMapping("/admin/compensations")
    OpenCompensations openCompensations(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        List<SagaCompensations.State> open = compensations.open(limit + 1);
        return new OpenCompensations(Instant.now(), limit, open.size() > limit, open.stream().limit(limit).toList());
    }

    @GetMapping("/admin/orders/summary")
    Summary summary(@RequestParam(name = "olderThan", defaultValue = "30s") String olderThanParam) {
        Duration olderThan = duration(olderThanParam);
        Instant now = Instant.now();
        return new Summary(olderThan.toString(), now, orders.countByFlow(now.minus(olderThan)));
    }

    private static OrderStatus status(String raw) {
        try {
            return OrderStatus.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw badRequest("status must be PENDING, CONFIRMED or CANCELLED, got '" + raw + "'");
        }
    }

    /** {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT2M}), as Boot reads durations in configuration. */
    private static Duration duration(String raw) {
        Duration d;
        try {
            d = DurationStyle.detectAndParse(raw.trim());
        } catch (IllegalArgumentException e) {
            throw badRequest("olderThan must be a duration such as 30s, 5m or PT2M, got '" + raw + "'");
        }
        if (d.isNegative()) {
            throw badRequest("olderThan must not be negative, got '" + raw + "'");
        }
        return d;
    }

    private static ErrorResponseException badRequest(String detail) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                ProblemDetailsAdvice.problem(HttpStatus.BAD_REQUEST, "invalid-admin-query", "Invalid admin query", detail),
                null);
    }
}

package io.txlab.order.admin;

import io.txlab.order.order.Order;
import io.txlab.order.order.OrderRepository;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.saga.SagaReadModel;
import io.txlab.platform.web.ProblemDetailsAdvice;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's view of orders that did not finish: {@code GET /admin/orders?status=PENDING&olderThan=30s} lists them,
 * every flow, oldest first, each with its steps ({@link SagaReadModel}, the same document as
 * {@code /orders/{id}/steps}); {@code GET /admin/orders/summary?olderThan=30s} counts them per flow. Read-only, like
 * every other read of this service; the page {@code /admin/} shows both.
 */
@RestController
class AdminOrdersController {

    static final int MAX_LIMIT = 500;

    private final OrderRepository orders;
    private final SagaReadModel sagas;

    AdminOrdersController(OrderRepository orders, SagaReadModel sagas) {
        this.orders = orders;
        this.sagas = sagas;
    }

    /** One order that has been in {@code status} for longer than asked, with what its flow recorded so far. */
    record Entry(UUID id, String flow, String status, String customerId, BigDecimal total, Instant createdAt,
                 double ageSeconds, OrderSteps steps) {
    }

    /** @param truncated true when more orders matched than {@code limit} */
    record Listing(String status, String olderThan, Instant asOf, int limit, boolean truncated, List<Entry> orders) {
    }

    record Summary(String olderThan, Instant asOf, List<OrderRepository.FlowCounts> flows) {
    }

    @GetMapping("/admin/orders")
    Listing list(@RequestParam(defaultValue = "PENDING") String status,
                 @RequestParam(name = "olderThan", defaultValue = "30s") String olderThanParam,
                 @RequestParam(defaultValue = "100") int limit) {
        OrderStatus wanted = status(status);
        Duration olderThan = duration(olderThanParam);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        Instant now = Instant.now();
        List<Order> found = orders.findOlderThan(wanted, now.minus(olderThan), limit + 1);
        List<Entry> entries = found.stream().limit(limit)
                .map(o -> new Entry(o.id(), o.flow().id(), o.status().name(), o.customerId(), o.total(), o.createdAt(),
                        Duration.between(o.createdAt(), now).toMillis() / 1000.0, sagas.view(o)))
                .toList();
        return new Listing(wanted.name(), olderThan.toString(), now, limit, found.size() > limit, entries);
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

package io.txlab.order.api;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.catalogue.Catalogue;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderDeadlineProperties;
import io.txlab.order.order.OrderFlow;
import io.txlab.order.order.OrderFlows;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.PlaceOrder;
import io.txlab.order.order.PlacementResult;
import io.txlab.platform.web.ProblemDetailsAdvice;
import jakarta.validation.Valid;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code POST /orders} (with {@code Prefer: wait=5}, RFC 7240, it answers once the order is final or after the wait),
 * {@code GET /orders/{id}} and its long-poll variant {@code ?waitForFinal=5s}.
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String PREFER = "Prefer";
    static final String PREFERENCE_APPLIED = "Preference-Applied";
    private static final int MAX_KEY_LENGTH = 200;

    private final OrderService orders;
    private final OrderFlows flows;
    private final FinalOrderWaiters waiters;
    private final OrderDeadlineProperties deadlines;

    public OrderController(OrderService orders, OrderFlows flows, FinalOrderWaiters waiters,
                           OrderDeadlineProperties deadlines) {
        this.deadlines = deadlines;
        this.orders = orders;
        this.flows = flows;
        this.waiters = waiters;
    }

    /**
     * Checks run cheapest first and all before anything is written: body and key (400), flow id (400), flow
     * implemented (422), customer and SKUs known to their owners and every unit price the catalogue's (422, or 503
     * when an owner cannot answer).
     *
     * <p>With {@code Prefer: wait=n} the answer waits, holding no servlet thread, until the order is final or n seconds
     * (at most 30) have passed, and says {@code Preference-Applied: wait=n}: a client that wants the outcome needs one
     * request instead of a POST and a long-poll. The status and Location are those of the placement either way (201,
     * or 200 for a replayed key); the body's {@code status} tells whether it is final. A wait that is not a number is
     * ignored (RFC 7240), and so is the preference when the long-poll capacity is used up: the order is placed then,
     * and the answer is its current state.
     *
     * @return the answer, or a deferred one while waiting
     */
    @PostMapping
    public Object place(@RequestHeader(IDEMPOTENCY_KEY) String idempotencyKey,
                        @RequestHeader(name = PREFER, required = false) String prefer,
                        @Valid @RequestBody PlaceOrderRequest request) {
        if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH) {
            throw badRequest("invalid-idempotency-key", "Invalid Idempotency-Key",
                    IDEMPOTENCY_KEY + " must be 1 to " + MAX_KEY_LENGTH + " non-blank characters");
        }
        Flow id;
        try {
            id = Flow.fromId(request.flow());
        } catch (IllegalArgumentException e) {
            throw badRequest("unknown-flow", "Unknown flow", e.getMessage());
        }
        OrderFlow flow = flows.require(id);
        List<OrderLine> lines = request.lines().stream()
                .map(line -> new OrderLine(line.sku(), line.quantity(), line.unitPrice()))
                .toList();
        PlacementResult result = flow.place(idempotencyKey,
                new PlaceOrder(request.customerId(), id, lines, deadline(request.deadlineSeconds())));
        URI location = ServletUriComponentsBuilder.fromCurrentRequestUri()
                .path("/{id}")
                .buildAndExpand(result.order().id())
                .toUri();
        HttpStatus status = result.replayed() ? HttpStatus.OK : HttpStatus.CREATED;
        // As placed, unless this process has finalized it since (a flow that finished on this thread or raced it).
        Order placed = waiters.latest(result.order());
        ResponseEntity<OrderView> now = ResponseEntity.status(status).location(location)
                .body(OrderView.of(placed, flow.backend()));
        Optional<Duration> wait = PreferWait.parse(prefer);
        if (wait.isEmpty() || placed.isFinal()) {
            return now;
        }
        String applied = "wait=" + wait.get().toSeconds();
        return waiters.awaitPlaced(placed, wait.get(), order -> OrderView.of(order, flow.backend()),
                        view -> ResponseEntity.status(status).location(location).header(PREFERENCE_APPLIED, applied)
                                .body(view))
                .<Object>map(deferred -> deferred)
                .orElse(now);
    }

    @GetMapping(path = "/{id}", params = "!waitForFinal")
    public OrderView get(@PathVariable UUID id) {
        return existing(id);
    }

    /**
     * Answers as soon as the order is final, or after {@code waitForFinal} (at most 30 s) with its current state;
     * 200 either way, the body's {@code status} tells which.
     */
    @GetMapping(path = "/{id}", params = "waitForFinal")
    public DeferredResult<ResponseEntity<OrderView>> awaitFinal(@PathVariable UUID id,
                                                                @RequestParam String waitForFinal) {
        Duration wait;
        try {
            wait = WaitForFinal.parse(waitForFinal);
        } catch (IllegalArgumentException e) {
            throw badRequest("invalid-wait", "Invalid waitForFinal", e.getMessage());
        }
        return waiters.await(id, wait, () -> existing(id));
    }

    /** From order-service's database, else from the stores of flows that keep their orders elsewhere. */
    private OrderView existing(UUID id) {
        Optional<Order> own = orders.find(id);
        if (own.isPresent()) {
            return OrderView.of(own.get());
        }
        Optional<OrderFlows.Stored> elsewhere = flows.findInFlowStores(id);
        if (elsewhere.isPresent()) {
            return OrderView.of(elsewhere.get().order(), elsewhere.get().flow().backend());
        }
        throw new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND, "order-not-found", "Order not found",
                        "order " + id + " does not exist"), null);
    }

    private static ErrorResponseException badRequest(String type, String title, String detail) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                ProblemDetailsAdvice.problem(HttpStatus.BAD_REQUEST, type, title, detail), null);
    }

    /** The caller's deadline, or the service's; refused (400) above {@code txlab.orders.max-deadline}. */
    private Duration deadline(BigDecimal seconds) {
        if (seconds == null) {
            return deadlines.deadline();
        }
        Duration asked = Duration.ofMillis(seconds.movePointRight(3).longValue());
        if (asked.compareTo(deadlines.maxDeadline()) > 0) {
            throw badRequest("invalid-deadline", "Invalid deadline", "deadlineSeconds must be at most "
                    + deadlines.maxDeadline().toSeconds() + " (txlab.orders.max-deadline), got "
                    + seconds.toPlainString());
        }
        return asked;
    }
}

package io.txlab.order.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderRepository;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.saga.SagaCompensations;
import io.txlab.platform.web.ProblemDetailsAdvice;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * An operator's action on a stuck order (adr/0037), registered only with {@code txlab.admin.actions.enabled=true}, like
 * the dead-letter admin: it writes, so it is an operator's tool, not part of the public API.
 * Both take {@code {"operator": "…", "reason": "…"}}:
 * <ul>
 *   <li>{@code POST /admin/orders/{id}/resolve} marks a PENDING order as handled by hand: it leaves the stuck list and
 *       counts, and nothing else changes (its flow may still finish it).</li>
 *   <li>{@code POST /admin/orders/{id}/compensate} undoes a PENDING saga order (choreography, outbox, orchestration)
 *       the way a deadline does (adr/0038): cancels it first with {@code OPERATOR_COMPENSATED}, opening its
 *       compensation in the same transaction, then refunds its payment and releases its stock (the participants'
 *       guarded manual compensations, which leave tombstones, so a step of the flow that arrives later does nothing).
 *       201 when both are done; 202 when a participant did not answer: the order is cancelled and its compensation
 *       retried until done ({@link SagaCompensations}). 2PC and cockroach orders are refused: their transaction
 *       decides them.</li>
 * </ul>
 * The first call records who, why and when (201); repeating it changes nothing more and answers that record (200).
 * Every action is in table {@code order_operator_action} and in the log.
 */
@RestController
@ConditionalOnBooleanProperty(AdminOrderActionsController.ENABLED)
class AdminOrderActionsController {

    static final String ENABLED = "txlab.admin.actions.enabled";
    static final int MAX_OPERATOR = 100;
    static final int MAX_REASON = 500;

    private static final Logger log = LoggerFactory.getLogger(AdminOrderActionsController.class);

    private final OperatorActions actions;
    private final OrderRepository orders;
    private final OrderService orderService;
    private final SagaCompensations compensations;
    private final TransactionTemplate tx;

    AdminOrderActionsController(OperatorActions actions, OrderRepository orders, OrderService orderService,
                                SagaCompensations compensations, PlatformTransactionManager transactionManager) {
        this.actions = actions;
        this.orders = orders;
        this.orderService = orderService;
        this.compensations = compensations;
        this.tx = new TransactionTemplate(transactionManager);
    }

    /** Who takes the action and why; both are kept with it. */
    record ActionRequest(String operator, String reason) {
    }

    /**
     * @param firstTime    false when the action had been taken already (this call changed nothing but, for a
     *                     compensation, tried its open steps again)
     * @param compensation where a compensate action's refund and release stand; absent for resolve
     */
    record ActionResult(OperatorActions.Action action, boolean firstTime,
                        @JsonInclude(JsonInclude.Include.NON_NULL) SagaCompensations.State compensation) {

        ActionResult(OperatorActions.Action action, boolean firstTime) {
            this(action, firstTime, null);
        }
    }

    @PostMapping("/admin/orders/{id}/resolve")
    ResponseEntity<ActionResult> resolve(@PathVariable UUID id, @RequestBody ActionRequest request) {
        String operator = required(request == null ? null : request.operator(), "operator", MAX_OPERATOR);
        String reason = required(request.reason(), "reason", MAX_REASON);
        var taken = actions.takeOnPending(id, OperatorActions.RESOLVE, operator, reason);
        if (taken.isPresent()) {
            log.info("operator action: {} marked order {} ({}) resolved: {}", operator, id,
                    orders.find(id).map(o -> o.flow().id()).orElse("?"), reason);
            return ResponseEntity.status(HttpStatus.CREATED).body(new ActionResult(taken.get(), true));
        }
        var earlier = actions.find(id, OperatorActions.RESOLVE);
        if (earlier.isPresent()) {
            log.info("operator action: {} asked to resolve order {} again; resolved by {} at {}", operator, id,
                    earlier.get().operator(), earlier.get().takenAt());
            return ResponseEntity.ok(new ActionResult(earlier.get(), false));
        }
        throw notPending(id, operator, "marked resolved");
    }

    @PostMapping("/admin/orders/{id}/compensate")
    ResponseEntity<ActionResult> compensate(@PathVariable UUID id, @RequestBody ActionRequest request) {
        String operator = required(request == null ? null : request.operator(), "operator", MAX_OPERATOR);
        String reason = required(request.reason(), "reason", MAX_REASON);
        Order order = orders.find(id).orElseThrow(() -> notFound(id));
        if (order.flow() == Flow.TWOPC || order.flow() == Flow.COCKROACH) {
            log.info("operator action refused: {} asked to compensate {} order {}", operator, order.flow().id(), id);
            throw new ErrorResponseException(HttpStatus.CONFLICT, ProblemDetailsAdvice.problem(HttpStatus.CONFLICT,
                    "flow-decides", "The flow decides this order",
                    "order " + id + " is a " + order.flow().id() + " order: it commits or rolls back as one "
                            + (order.flow() == Flow.TWOPC
                            ? "transaction, which its coordinator decides and its recovery ends (GET /twopc/in-doubt)"
                            : "transaction")
                            + "; there is nothing to compensate by hand"), null);
        }
        // The record, the cancellation and the open compensation commit together, or not at all: an order its flow
        // confirmed meanwhile is left alone (409), and a cancelled order can no longer be confirmed by a late step.
        Optional<OperatorActions.Action> taken = tx.execute(status -> {
            Optional<OperatorActions.Action> action = actions.takeOnPending(id, OperatorActions.COMPENSATE, operator,
                    reason);
            if (action.isEmpty()) {
                return action;
            }
            Order cancelled = orderService.cancel(id, RejectionReason.OPERATOR_COMPENSATED.name());
            if (!RejectionReason.OPERATOR_COMPENSATED.name().equals(cancelled.reason())) {
                status.setRollbackOnly();
                return Optional.<OperatorActions.Action>empty();
            }
            compensations.open(id, RejectionReason.OPERATOR_COMPENSATED, cancelled.completedAt());
            return action;
        });
        OperatorActions.Action action = taken.isPresent() ? taken.get()
                : actions.find(id, OperatorActions.COMPENSATE).orElseThrow(() -> notPending(id, operator, "compensated"));
        // the saga's own order of compensation, newest step first: money, then stock; each step idempotent
        boolean done = compensations.compensate(id);
        SagaCompensations.State state = compensations.find(id).orElse(null);
        if (taken.isPresent()) {
            log.info("operator action: {} cancelled {} order {} and {}: {}", operator, order.flow().id(), id,
                    done ? "compensated it" : "its compensation is retried until the participants answer", reason);
            return ResponseEntity.status(done ? HttpStatus.CREATED : HttpStatus.ACCEPTED)
                    .body(new ActionResult(action, true, state));
        }
        log.info("operator action: {} asked to compensate order {} again; done by {} at {}; compensation {}", operator,
                id, action.operator(), action.takenAt(), done ? "done" : "still open");
        return ResponseEntity.ok(new ActionResult(action, false, state));
    }

    private ErrorResponseException notPending(UUID id, String operator, String done) {
        Order order = orders.find(id).orElseThrow(() -> notFound(id));
        log.info("operator action refused: {} asked for order {} to be {}, but it is {}", operator, id, done,
                order.status());
        return new ErrorResponseException(HttpStatus.CONFLICT, ProblemDetailsAdvice.problem(HttpStatus.CONFLICT,
                "order-not-pending", "Order is not pending",
                "order " + id + " is " + order.status() + "; only a PENDING order can be " + done), null);
    }

    private static ErrorResponseException notFound(UUID id) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND, ProblemDetailsAdvice.problem(HttpStatus.NOT_FOUND,
                "order-not-found", "Order not found", "order " + id + " does not exist"), null);
    }

    private static String required(String value, String field, int max) {
        if (value == null || value.isBlank()) {
            throw badRequest(field + " is required: who acts and why are kept with every action");
        }
        if (value.length() > max) {
            throw badRequest(field + " must be at most " + max + " characters, got " + value.length());
        }
        return value.strip();
    }

    private static ErrorResponseException badRequest(String detail) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, ProblemDetailsAdvice.problem(HttpStatus.BAD_REQUEST,
                "invalid-admin-action", "Invalid admin action", detail), null);
    }
}

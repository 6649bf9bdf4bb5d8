package io.txlab.order.admin;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderRepository;
import io.txlab.order.order.OrderService;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.saga.ParticipantCompensations;
import io.txlab.platform.web.ProblemDetailsAdvice;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
 *       in the saga's order: releases its stock, refunds its payment (the participants' guarded manual
 *       compensations, which leave tombstones, so a step of the flow that arrives later does nothing) and cancels it
 *       with {@code OPERATOR_COMPENSATED}. 2PC orders are refused: their coordinator decides them, and its recovery
 *       ends every in-doubt branch. A call that fails half way (a participant down) leaves the order PENDING, and
 *       repeating it finishes the job.</li>
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
    /** The participants see keys {@code operator-release-<id>} and {@code operator-refund-<id>}. */
    static final String OPERATOR_KEYS = "operator-";

    private static final Logger log = LoggerFactory.getLogger(AdminOrderActionsController.class);

    private final OperatorActions actions;
    private final OrderRepository orders;
    private final OrderService orderService;
    private final ParticipantCompensations participants;

    AdminOrderActionsController(OperatorActions actions, OrderRepository orders, OrderService orderService,
                                ParticipantCompensations participants) {
        this.actions = actions;
        this.orders = orders;
        this.orderService = orderService;
        this.participants = participants;
    }

    /** Who takes the action and why; both are kept with it. */
    record ActionRequest(String operator, String reason) {
    }

    /** @param firstTime false when the action had been taken already (this call changed nothing) */
    record ActionResult(OperatorActions.Action action, boolean firstTime) {
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
        var taken = actions.takeOnPending(id, OperatorActions.COMPENSATE, operator, reason);
        OperatorActions.Action action;
        if (taken.isPresent()) {
            action = taken.get();
        } else {
            action = actions.find(id, OperatorActions.COMPENSATE).orElseThrow(() -> notPending(id, operator,
                    "compensated"));
            if (order.status() == OrderStatus.CONFIRMED) {
                // its flow confirmed it before the first call got to the participants, which then refused
                throw notPending(id, operator, "compensated");
            }
            if (order.status() != OrderStatus.PENDING) {
                log.info("operator action: {} asked to compensate order {} again; done by {} at {}", operator, id,
                        action.operator(), action.takenAt());
                return ResponseEntity.ok(new ActionResult(action, false));
            }
            log.info("operator action: {} resumes the compensation {} began on order {}", operator, action.operator(), id);
        }
        // the saga's own order of compensation: stock, money, then the order; each step is idempotent
        participants.release(id, OPERATOR_KEYS);
        participants.refund(id, OPERATOR_KEYS);
        Order cancelled = orderService.cancel(id, RejectionReason.OPERATOR_COMPENSATED.name());
        log.info("operator action: {} compensated {} order {} (now {}): {}", operator, order.flow().id(), id,
                cancelled.status(), reason);
        return taken.isPresent() ? ResponseEntity.status(HttpStatus.CREATED).body(new ActionResult(action, true))
                : ResponseEntity.ok(new ActionResult(action, false));
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

package io.txlab.order.saga;

import io.txlab.contracts.Flow;
import io.txlab.contracts.orchestration.SagaState;
import io.txlab.contracts.orchestration.SagaStep;
import io.txlab.contracts.twopc.Decision;
import io.txlab.contracts.twopc.Gid;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderPlacementRoute;
import io.txlab.order.order.OrderPlacementRoutes;
import io.txlab.order.order.OrderService;
import io.txlab.order.orchestration.PlaceOrderSagas;
import io.txlab.order.saga.ParticipantReads.Payment;
import io.txlab.order.saga.ParticipantReads.Read;
import io.txlab.order.saga.ParticipantReads.Reservation;
import io.txlab.order.saga.SagaView.Step;
import io.txlab.order.twopc.CoordinatorApi;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * "What happened to order X", one answer for every flow. A read model only: it reads the order and asks each flow's
 * system of record, and changes nothing.
 * <ul>
 *   <li>{@code choreography}, {@code outbox}: no class holds these sagas, so the steps are what the participants
 *       recorded - inventory's reservation, payment's payment - between the order's creation and its end;</li>
 *   <li>{@code orchestration}: the workflow's {@code state} query (steps and compensations with workflow times);
 *       when no worker can answer, the participants' records as for choreography;</li>
 *   <li>{@code twopc}: the coordinator's decision on gid {@code txlab_<order id>} plus the participants' records
 *       (which exist only if the global transaction committed);</li>
 *   <li>{@code cockroach}: the one serializable transaction, from the order row in the flow's own database.</li>
 * </ul>
 */
@Component
public class SagaReadModel {

    private final OrderService orders;
    private final OrderPlacementRoutes routes;
    private final ParticipantReads participants;
    private final ObjectProvider<PlaceOrderSagas> workflows;
    private final ObjectProvider<CoordinatorApi> coordinator;

    SagaReadModel(OrderService orders, OrderPlacementRoutes routes, ParticipantReads participants,
                  ObjectProvider<PlaceOrderSagas> workflows, ObjectProvider<CoordinatorApi> coordinator) {
        this.orders = orders;
        this.routes = routes;
        this.participants = participants;
        this.workflows = workflows;
        this.coordinator = coordinator;
    }

    public Optional<SagaView> find(UUID orderId) {
        Optional<Order> own = orders.find(orderId);
        if (own.isPresent()) {
            return Optional.of(view(own.get()));
        }
        for (OrderPlacementRoute route : routes.all()) {
            Optional<Order> routed = route.find(orderId);
            if (routed.isPresent()) {
                return Optional.of(transaction(routed.get(), route.backend()));
            }
        }
        return Optional.empty();
    }

    /** The view of an order already read from this service's database (as {@link #find} reads it). */
    public SagaView view(Order order) {
        return switch (order.flow()) {
            case CHOREOGRAPHY, OUTBOX -> fromParticipants(order, "participants", new Notes());
            case ORCHESTRATION -> fromWorkflow(order);
            case TWOPC -> fromCoordinator(order);
            case COCKROACH -> transaction(order, null);
        };
    }

    private SagaView fromParticipants(Order order, String source, Notes notes) {
        List<Step> steps = new ArrayList<>();
        List<Step> compensations = new ArrayList<>();
        steps.add(new Step("place-order", "PENDING", order.createdAt(), null));
        participantSteps(order.id(), steps, compensations, notes);
        finalStep(order, steps);
        return new SagaView(order.id(), order.flow().id(), order.status().name(), order.reason(), source,
                byTime(steps), byTime(compensations), notes.text());
    }

    private void participantSteps(UUID orderId, List<Step> steps, List<Step> compensations, Notes notes) {
        Read<Reservation> reservation = participants.reservation(orderId);
        notes.add(reservation.failure());
        Reservation r = reservation.value();
        if (r != null) {
            boolean held = r.lines() != null && !r.lines().isEmpty();
            switch (r.status()) {
                case "RESERVED" -> steps.add(new Step("reserve-stock", "RESERVED", r.createdAt(), null));
                case "REJECTED" -> steps.add(new Step("reserve-stock", "REJECTED", r.createdAt(), r.reason()));
                default -> {
                    if (held) {
                        steps.add(new Step("reserve-stock", "RESERVED", r.createdAt(), null));
                    }
                    compensations.add(new Step("release-stock", r.status(), r.releasedAt(),
                            held ? null : "nothing was reserved"));
                }
            }
        }
        Read<Payment> payment = participants.payment(orderId);
        notes.add(payment.failure());
        Payment p = payment.value();
        if (p != null) {
            switch (p.status()) {
                case "AUTHORIZED" -> steps.add(new Step("authorize-payment", "AUTHORIZED", p.createdAt(), null));
                case "DECLINED" -> steps.add(new Step("authorize-payment", "DECLINED", p.createdAt(), p.reason()));
                default -> {
                    boolean charged = p.amount() != null && p.amount().compareTo(BigDecimal.ZERO) > 0;
                    if (charged) {
                        steps.add(new Step("authorize-payment", "AUTHORIZED", p.createdAt(), null));
                    }
                    compensations.add(new Step("refund-payment", p.status(), p.refundedAt(),
                            charged ? null : "nothing was charged"));
                }
            }
        }
    }

    private SagaView fromWorkflow(Order order) {
        PlaceOrderSagas sagas = workflows.getIfAvailable();
        if (sagas == null) {
            return fromParticipants(order, "participants", new Notes().add("orchestration is off in this build"));
        }
        SagaState state;
        try {
            state = sagas.state(order.id());
        } catch (RuntimeException e) {
            // No saga yet, Temporal down, or no worker to answer the query: the participants still know.
            return fromParticipants(order, "participants",
                    new Notes().add("workflow state unavailable: " + e.getClass().getSimpleName()));
        }
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("place-order", "PENDING", order.createdAt(), null));
        state.completedSteps().forEach(step -> steps.add(new Step(name(step.step()), "COMPLETED", step.at(), null)));
        if (state.currentStep() != null && state.currentStep() != SagaStep.FINISHED) {
            steps.add(new Step(name(state.currentStep()), state.stuck() ? "STUCK" : "RUNNING", null, null));
        }
        List<Step> compensations = state.compensations().stream()
                .map(step -> new Step(name(step.step()), "COMPLETED", step.at(), null))
                .toList();
        Notes notes = new Notes();
        if (state.stuck()) {
            notes.add("stuck: waiting for the next retry round");
        }
        notes.add(state.lastFailure() == null ? null : "last failure: " + state.lastFailure());
        return new SagaView(order.id(), order.flow().id(), order.status().name(), order.reason(), "workflow",
                steps, compensations, notes.text());
    }

    private SagaView fromCoordinator(Order order) {
        Notes notes = new Notes();
        List<Step> steps = new ArrayList<>();
        List<Step> compensations = new ArrayList<>();
        steps.add(new Step("place-order", "PENDING", order.createdAt(), null));
        String gid = Gid.of(order.id());
        CoordinatorApi api = coordinator.getIfAvailable();
        if (api == null) {
            notes.add("no coordinator client in this build");
        } else {
            try {
                Decision.Value decision = api.decision(gid);
                steps.add(new Step("global-transaction", decision.name(), null, gid));
            } catch (RuntimeException e) {
                notes.add("coordinator unavailable: " + e.getClass().getSimpleName());
            }
        }
        participantSteps(order.id(), steps, compensations, notes);
        finalStep(order, steps);
        return new SagaView(order.id(), order.flow().id(), order.status().name(), order.reason(),
                "coordinator+participants", byTime(steps), byTime(compensations), notes.text());
    }

    /** The cockroach flow: one transaction that placed and finalized the order at once; nothing to compensate. */
    private static SagaView transaction(Order order, String backend) {
        Step step = new Step("serializable-transaction", order.status().name(), order.completedAt(),
                order.reason() != null ? order.reason() : backend);
        return new SagaView(order.id(), order.flow().id(), order.status().name(), order.reason(), "transaction",
                List.of(step), List.of(), null);
    }

    private static void finalStep(Order order, List<Step> steps) {
        if (order.isFinal()) {
            steps.add(new Step(order.status().name().equals("CONFIRMED") ? "confirm-order" : "cancel-order",
                    order.status().name(), order.completedAt(), order.reason()));
        }
    }

    /** Oldest first; steps without a time (the 2PC decision) keep their place after the ones before them. */
    private static List<Step> byTime(List<Step> steps) {
        List<Step> timed = new ArrayList<>();
        List<Step> result = new ArrayList<>();
        for (Step step : steps) {
            if (step.at() != null) {
                timed.add(step);
            }
        }
        timed.sort(Comparator.comparing(Step::at));
        int next = 0;
        for (Step step : steps) {
            result.add(step.at() == null ? step : timed.get(next++));
        }
        return result;
    }

    private static String name(SagaStep step) {
        return step.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What could not be read, joined; null when everything answered. */
    private static final class Notes {

        private final StringJoiner text = new StringJoiner("; ");
        private int count;

        Notes add(String note) {
            if (note != null) {
                text.add(note);
                count++;
            }
            return this;
        }

        String text() {
            return count == 0 ? null : text.toString();
        }
    }
}

package io.txlab.order.saga;

import io.txlab.order.order.Order;
import io.txlab.order.order.OrderSteps.Step;
import io.txlab.order.order.OrderSteps;
import io.txlab.order.saga.ParticipantReads.Payment;
import io.txlab.order.saga.ParticipantReads.Read;
import io.txlab.order.saga.ParticipantReads.Reservation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * An order's steps as the participants recorded them: inventory's reservation and payment's payment, between the
 * order's creation and its end. No class holds a choreography saga, so for {@code choreography} and {@code outbox}
 * this is the whole story; {@code twopc} adds the coordinator's decision, and {@code orchestration} falls back to it
 * when no workflow worker can answer. The flows call it from their {@link io.txlab.order.order.OrderFlow#steps}.
 */
@Component
public class ParticipantSteps {

    private final ParticipantReads participants;

    ParticipantSteps(ParticipantReads participants) {
        this.participants = participants;
    }

    /** The participants' steps alone, source {@code participants}; {@code notes} (nulls skipped) go into the note. */
    public OrderSteps view(Order order, String... notes) {
        return view(order, "participants", List.of(), List.of(notes));
    }

    /**
     * {@code place-order}, then {@code leading} (e.g. the 2PC decision), the participants' steps and compensations,
     * and the final step, oldest first.
     *
     * @param notes what could not be read, nulls skipped; with the participants' own failures they become the note
     */
    public OrderSteps view(Order order, String source, List<Step> leading, List<String> notes) {
        List<String> allNotes = new ArrayList<>(notes.stream().filter(Objects::nonNull).toList());
        List<Step> steps = new ArrayList<>();
        List<Step> compensations = new ArrayList<>();
        steps.add(new Step("place-order", "PENDING", order.createdAt(), null));
        steps.addAll(leading);
        participantSteps(order.id(), steps, compensations, allNotes);
        if (order.isFinal()) {
            steps.add(new Step(order.status().name().equals("CONFIRMED") ? "confirm-order" : "cancel-order",
                    order.status().name(), order.completedAt(), order.reason()));
        }
        return new OrderSteps(order.id(), order.flow().id(), order.status().name(), order.reason(), source,
                byTime(steps), byTime(compensations), allNotes.isEmpty() ? null : String.join("; ", allNotes));
    }

    private void participantSteps(UUID orderId, List<Step> steps, List<Step> compensations, List<String> notes) {
        Read<Reservation> reservation = participants.reservation(orderId);
        add(notes, reservation.failure());
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
        add(notes, payment.failure());
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

    private static void add(List<String> notes, String note) {
        if (note != null) {
            notes.add(note);
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
}

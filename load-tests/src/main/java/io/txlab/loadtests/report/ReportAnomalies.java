package io.txlab.loadtests.report;

import io.txlab.loadtests.report.Document.Block;
import io.txlab.loadtests.report.Document.Cell;
import io.txlab.loadtests.report.Document.Chart;
import io.txlab.loadtests.report.Document.Section;
import io.txlab.loadtests.report.Document.Table;
import io.txlab.loadtests.report.Document.Text;
import io.txlab.loadtests.report.Document.Tone;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The report's "Isolation anomalies" section (issue 17, part 3): {@link Results.Anomalies} in, one {@link Section} out.
 * Every count is shown per 1000 orders of the flow's anomaly run, with the orders behind it.
 */
final class ReportAnomalies {

    static final String ID = "anomalies";

    /** What keeps a flow's concurrent orders apart, as ADRs 39 and 44 state it, by row label. */
    private static final Map<String, String> PREVENTED_BY = Map.of(
            "choreography", "nothing: each step commits on its own (no semantic lock built for this flow)",
            "outbox", "nothing: each step commits on its own (no semantic lock built for this flow)",
            "orchestration", "nothing: each activity commits on its own",
            "orchestration + semantic lock", "a semantic lock (ADR 44): the SKU's stock is held as PENDING until the "
                    + "order is final; an order short of it while pending orders hold it waits for them (Temporal "
                    + "retries the reserve, up to about 7 s) instead of being refused; readers see the hold as PENDING",
            "twopc", "row locks held from prepare to commit; the branches commit one by one",
            "cockroach", "one serializable transaction, retried on 40001");

    private ReportAnomalies() {
    }

    static Section of(Results.Anomalies a) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text(String.format(Locale.ROOT, "What concurrent orders see of each other. Per flow, %d bursts: a SKU "
                        + "of the burst's own with %d units and a customer of its own with %d orders' worth of money are added, "
                        + "and %d one-unit orders for that SKU are fired at once, half from a customer with no money (their "
                        + "stock may be reserved, then the payment is declined and the stock released), half from the "
                        + "burst's customer. Meanwhile a reader samples the orders, their charges, their reservations and "
                        + "the orders again, one table after the other, as another service would. Units "
                        + "sold: of the units the bursts offered; run serially, every one is sold. "
                        + "False refusals: orders refused for stock (or money) while units (or money) were left once every "
                        + "order was final, so what they asked for was only held by an order that gave it back; refused "
                        + "for a lock wait or failure: cancelled for anything but stock or money (a 2PC branch that "
                        + "waited out its lock timeout votes NO). Held then "
                        + "cancelled: cancelled orders whose stock hold was committed, where any reader could see it (from "
                        + "the rows; the same for money); seen: the orders the reader actually caught. Read skew: an order read CONFIRMED while "
                        + "its charge or reservation, read after it, was not there; a charge read while the order, read "
                        + "after it, was still PENDING. Counts are orders per 1000 orders of the run; the reader's own "
                        + "queries load the machine, so the timings here are no cost figure. A row \"+ semantic lock\" "
                        + "runs the same bursts with the SKU under the flow's countermeasure: a hold it shows as PENDING "
                        + "is counted apart from the dirty reads, since a reader that honours the lock does not take it "
                        + "as sold. Decisions: ADR 39, ADR 44.",
                a.bursts(), a.unitsPerBurst(), a.unitsPerBurst(), a.ordersPerBurst())));
        if (a.error() != null) {
            blocks.add(new Text("Stopped early: " + a.error()));
        }
        List<List<Cell>> outcomes = new ArrayList<>();
        List<List<Cell>> seen = new ArrayList<>();
        for (Results.AnomalyRun r : a.runs()) {
            boolean broke = r.oversoldUnits() > 0 || r.overdrawnOrders() > 0;
            int confirmed = r.outcomes().getOrDefault("CONFIRMED", 0);
            outcomes.add(List.of(Cell.of(label(r)), Cell.of(Integer.toString(r.placed())),
                    Cell.of(confirmed + " of " + a.bursts() * a.unitsPerBurst()),
                    Cell.of(r.oversoldUnits() + " / " + r.overdrawnOrders(), broke ? Tone.BAD : Tone.GOOD),
                    Cell.of(perMille(r, r.refusedForStock())),
                    warn(r, r.falseStockRejections()),
                    warn(r, r.falseFundsRejections()),
                    warn(r, r.refusedOther()),
                    Cell.of(r.retries() == null ? "–" : perMille(r, r.retries()), r.retries() == null ? Tone.MUTED : Tone.PLAIN),
                    Cell.of(ms(r.createdToFinalP50Ms()) + " / " + ms(r.createdToFinalMaxMs())),
                    r.audit() == null ? Cell.of("–", Tone.MUTED)
                            : Cell.of(r.audit().status(), r.audit().status().equals("CLEAN") ? Tone.GOOD : Tone.BAD)));
            seen.add(List.of(Cell.of(label(r)),
                    Cell.of(perMille(r, r.stockHeldThenCancelled()) + (r.stockHeldThenCancelled() == 0 ? ""
                            : ", held " + ms(r.stockHeldP50Ms()) + " / " + ms(r.stockHeldMaxMs()) + " ms"),
                            r.stockHeldThenCancelled() > 0 ? Tone.WARN : Tone.PLAIN),
                    warn(r, r.moneyHeldThenCancelled()),
                    warn(r, r.dirtyStockSeen()),
                    r.pendingStockSeen() == null ? Cell.of("–", Tone.MUTED) : Cell.of(perMille(r, r.pendingStockSeen())),
                    warn(r, r.confirmedUnpaidSeen()),
                    warn(r, r.confirmedUnreservedSeen()),
                    warn(r, r.paidWhilePendingSeen()),
                    warn(r, r.cancelledHoldingSeen()),
                    Cell.of(Integer.toString(r.samples())),
                    Cell.of(PREVENTED_BY.getOrDefault(label(r), "–"))));
        }
        blocks.add(new Table(List.of("flow", "orders", "units sold", "oversold units / overdrawn orders",
                "refused for stock ‰", "false refusals for stock ‰", "false refusals for money ‰",
                "refused for a lock wait or failure ‰", "serialization retries ‰", "created → final p50 / max ms",
                "audit"), outcomes));
        blocks.add(new Table(List.of("flow", "stock held, then cancelled ‰ (held p50 / max)",
                "money held, then cancelled ‰", "dirty stock reads seen ‰", "held as PENDING, then cancelled, seen ‰",
                "seen CONFIRMED, charge not there ‰",
                "seen CONFIRMED, reservation not there ‰", "charge seen, order PENDING ‰",
                "seen CANCELLED, still holding ‰", "reader samples", "what keeps orders apart"), seen));
        if (!a.runs().isEmpty()) {
            List<String> flows = a.runs().stream().map(ReportAnomalies::label).toList();
            blocks.add(new Chart("Isolation anomalies: see index.html", Svg.groupedBarsLog(
                    "isolation anomalies, and what preventing them cost, per 1000 orders (log scale; no bar: none)", "per 1000 orders", flows, List.of(
                            series(a, "false refusals for stock", Results.AnomalyRun::falseStockRejections),
                            series(a, "refused for a lock wait or failure", Results.AnomalyRun::refusedOther),
                            series(a, "stock held then cancelled", Results.AnomalyRun::stockHeldThenCancelled),
                            series(a, "dirty stock reads seen", Results.AnomalyRun::dirtyStockSeen),
                            series(a, "held as PENDING, seen", r -> r.pendingStockSeen() == null ? 0 : r.pendingStockSeen()),
                            series(a, "CONFIRMED, charge not there", Results.AnomalyRun::confirmedUnpaidSeen),
                            series(a, "charge seen, order PENDING", Results.AnomalyRun::paidWhilePendingSeen),
                            series(a, "serialization retries", r -> r.retries() == null ? 0 : r.retries())))));
        }
        return new Section(ID, "Isolation anomalies", true, blocks);
    }

    /** The flow, and the countermeasure it ran with if any. */
    static String label(Results.AnomalyRun r) {
        return r.countermeasure() == null ? r.flow() : r.flow() + " + " + r.countermeasure();
    }

    private static Svg.Series series(Results.Anomalies a, String name, ToIntFunction<Results.AnomalyRun> count) {
        return new Svg.Series(name, a.runs().stream().mapToDouble(r -> perMilleValue(r, count.applyAsInt(r))).toArray());
    }

    private static Cell warn(Results.AnomalyRun r, int n) {
        return Cell.of(perMille(r, n), n > 0 ? Tone.WARN : Tone.PLAIN);
    }

    private static double perMilleValue(Results.AnomalyRun r, int n) {
        return r.placed() == 0 ? Double.NaN : 1000.0 * n / r.placed();
    }

    /** "125 (5)": per 1000 orders, and the orders. */
    private static String perMille(Results.AnomalyRun r, int n) {
        return r.placed() == 0 ? "–" : String.format(Locale.ROOT, "%.0f (%d)", perMilleValue(r, n), n);
    }

    private static String ms(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }
}

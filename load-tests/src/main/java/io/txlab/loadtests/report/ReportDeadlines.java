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
import java.util.stream.Collectors;


/** The report's "Order deadlines" section (issue 17, part 4): {@link Results.Deadlines} in, one {@link Section} out. */
final class ReportDeadlines {

    static final String ID = "deadlines";

    private ReportDeadlines() {
    }

    static Section of(Results.Deadlines d) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text(String.format(Locale.ROOT, "What each flow does when a step hangs. For each flow in turn, the "
                        + "link its payment step travels is partitioned (packets dropped: connections stay open and nothing "
                        + "crosses them), %d orders are placed %s s apart with a deadline of %s s, and each is followed until "
                        + "final; the link heals %s s after the first order, the flow settles and its orders are audited. "
                        + "Time to cancel is the order's creation to its cancellation with DEADLINE_EXCEEDED, both as "
                        + "order-service recorded them. Held: orders for which inventory reserved stock or payment charged "
                        + "money at some point; given back: the last of their reservation's release and their payment's "
                        + "refund, as those services recorded them. The saga flows cancel first and compensate after (the refund and "
                        + "release wait for the participant when they must cross the same link); 2PC's coordinator votes NO "
                        + "for the silent participant at the deadline and rolls the others back. Decision and mechanics: ADR 38.",
                d.ordersPerFlow(), "0.2", seconds(d.deadlineSeconds()), seconds(d.partitionSeconds()))));
        if (d.error() != null) {
            blocks.add(new Text("Stopped early: " + d.error()));
        }
        List<List<Cell>> rows = new ArrayList<>();
        for (Results.DeadlineRun r : d.runs()) {
            if (r.link() == null) {
                rows.add(List.of(Cell.of(r.flow()), Cell.of("–", Tone.MUTED), Cell.of("–", Tone.MUTED),
                        Cell.of("–", Tone.MUTED), Cell.of("–", Tone.MUTED), Cell.of("–", Tone.MUTED),
                        Cell.of(r.note(), Tone.MUTED), Cell.of("–", Tone.MUTED), Cell.of("–", Tone.MUTED),
                        Cell.of("–", Tone.MUTED), Cell.of("–", Tone.MUTED)));
                continue;
            }
            boolean allExpired = r.deadlineExceeded() == r.placed();
            rows.add(List.of(Cell.of(r.flow()), Cell.of(r.link()), Cell.of(Integer.toString(r.placed())),
                    Cell.of(r.deadlineExceeded() + " of " + r.placed(), allExpired ? Tone.PLAIN : Tone.WARN),
                    Cell.of(ms(r.timeToCancelP50Ms())), Cell.of(ms(r.timeToCancelMaxMs())),
                    Cell.of(r.outcomes().entrySet().stream().map(e -> e.getKey() + " × " + e.getValue())
                            .collect(Collectors.joining(", "))),
                    Cell.of(Integer.toString(r.notFinal()), r.notFinal() > 0 ? Tone.BAD : Tone.PLAIN),
                    Cell.of(r.heldOrders() + " of " + r.placed()),
                    Cell.of(r.heldOrders() == 0 ? "nothing held" : ms(r.returnedP50Ms()) + " / " + ms(r.returnedMaxMs())
                            + (r.stillHeld() > 0 ? ", " + r.stillHeld() + " still held" : ""),
                            r.stillHeld() > 0 ? Tone.BAD : Tone.PLAIN),
                    r.audit() == null ? Cell.of("–", Tone.MUTED)
                            : Cell.of(r.audit().status(), r.audit().status().equals("CLEAN") ? Tone.GOOD : Tone.BAD)));
        }
        blocks.add(new Table(List.of("flow", "partitioned link", "orders", "cancelled DEADLINE_EXCEEDED",
                "created → cancelled p50 ms", "max ms", "outcomes", "not final", "held stock or money",
                "created → all given back p50 / max ms", "audit after heal"), rows));
        List<Results.DeadlineRun> measured = d.runs().stream().filter(r -> r.timeToCancelP50Ms() != null).toList();
        if (!measured.isEmpty()) {
            List<String> flows = measured.stream().map(Results.DeadlineRun::flow).toList();
            double[] p50 = measured.stream().mapToDouble(Results.DeadlineRun::timeToCancelP50Ms).toArray();
            double[] toMax = measured.stream().mapToDouble(r -> r.timeToCancelMaxMs() - r.timeToCancelP50Ms()).toArray();
            blocks.add(new Chart("Order deadlines: see index.html", Svg.stackedBars(String.format(Locale.ROOT,
                    "created → cancelled with a %s s deadline while the payment step hangs (ms)",
                    seconds(d.deadlineSeconds())), "ms", flows,
                    List.of(new Svg.Series("p50", p50), new Svg.Series("p50 → max", toMax)))));
        }
        return new Section(ID, "Order deadlines", true, blocks);
    }

    private static String seconds(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ms(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }
}

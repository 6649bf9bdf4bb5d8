package io.txlab.loadtests.report;

import io.txlab.loadtests.report.Document.Block;
import io.txlab.loadtests.report.Document.Bullets;
import io.txlab.loadtests.report.Document.Cell;
import io.txlab.loadtests.report.Document.Section;
import io.txlab.loadtests.report.Document.Table;
import io.txlab.loadtests.report.Document.Text;
import io.txlab.loadtests.report.Document.Tone;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

import static io.txlab.loadtests.report.Fmt.num;

/**
 * The report's "each mechanism alone" section (ADR 47, ADR 55): {@link Results.MechanismFloors} in, one {@link Section}
 * out. Each floor stands next to its flow's figure in this run and its CPU target, with the verdict issue 14 asks for:
 * a target under the mechanism's own net cost cannot be met on this machine by any implementation on that engine; a
 * target above it leaves the gap to the services.
 */
final class ReportMechanismFloors {

    static final String ID = "mechanism-floors";

    private ReportMechanismFloors() {
    }

    static Section of(Results.MechanismFloors m, Results.Comparison c) {
        double rate = c.settings().rate();
        double idleAtTarget = ReportModel.idleShareMsPerOrder(Targets.IDLE_PERCENT_OF_CORE, rate);
        Results.Resources idle = c.idle() == null ? null : c.idle().cpu();
        double idleNow = idle == null ? Double.NaN : ReportModel.idleShareMsPerOrder(idle.stackPercentOfCore(), rate);
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Text(String.format(Locale.ROOT, "Each flow's mechanism with none of txlab's services around it: "
                + "./txlab mechanism-floor, run by this comparison at its end in a JVM of its own (started like the "
                + "services: C1, SerialGC, 256 MB), with %s. It does each flow's local writes (the "
                + "order, a guarded stock decrement, a guarded debit, the confirmation, an inbox row wherever a message or "
                + "activity is consumed, an outbox row wherever the outbox flow publishes) on databases of its own in the "
                + "stack's clusters, over the stack's own broker, Temporal server or a coordinator log, with plain Kafka, "
                + "Temporal or JDBC clients and, for the outbox, a Debezium embedded relay per database in its JVM; the "
                + "cockroach flow's is its one SERIALIZABLE transaction on its own cluster, rerun on 40001 (ADR 57): no "
                + "HTTP, no Spring, no long-poll. %.0f s at the rate discarded, then %.0f s with no orders and %.0f s at the rate. CPU per order counts "
                + "the components the mechanism runs on (whole process trees) and its JVM; net subtracts what they burned in "
                + "the idle window. Latency runs from each order's due time "
                + "to its final commit; every order placed was CONFIRMED in its database, or the row says why not. "
                + "A CPU target under the net floor cannot be met on this machine by any implementation on that engine. "
                + "A flow's figure also carries the whole idle stack's share at the rate, so a target under the net floor "
                + "plus that share at the idle target (≤ %s %% of a core, %s ms per order at %s/s) cannot be met unless the "
                + "idle stack does better than its own target; one under the net floor plus this run's idle share (%s) needs a "
                + "quieter idle stack. Above both, the flow's figure less the floor is what the services add (ADR 47, ADR 58).",
                m.stopped().isEmpty() ? "no service running" : "the services stopped (" + String.join(", ", m.stopped())
                        + ")", m.warmupSeconds(), m.windowSeconds(), m.windowSeconds(), num(Targets.IDLE_PERCENT_OF_CORE),
                num(idleAtTarget), num(rate), Double.isNaN(idleNow) ? "not measured in this run" : num(idleNow) + " ms")));
        List<List<Cell>> rows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Results.MechanismFloorRun r : m.runs()) {
            Optional<Results.Target> t = Targets.of(r.flow());
            Optional<Results.FlowResult> flow = c.flows().stream().filter(f -> f.flow().equals(r.flow())).findFirst();
            double measured = flow.map(Results.FlowResult::cpu).map(Results.Resources::totalCpuMsPerOrder).orElse(Double.NaN);
            if (r.error() != null) {
                errors.add(r.flow() + ": " + r.error());
                rows.add(List.of(Cell.of(r.flow()), Cell.of("FAILED", Tone.BAD), Cell.of("–"), Cell.of("–"), Cell.of("–"),
                        Cell.of("–"), Cell.of("–"), Cell.of("–"), Cell.of(num(measured)), Cell.of("–"),
                        Cell.of("not measured", Tone.MUTED)));
                continue;
            }
            rows.add(List.of(Cell.of(r.flow()), Cell.of(r.orders() + " at " + num(r.rate()) + "/s"),
                    Cell.of(num(r.cpuMsPerOrder())), Cell.of(num(r.cpuMsPerOrderNetOfIdle())),
                    Cell.of(components(r)),
                    ReportModel.atMost(r.p50Ms(), t.map(Results.Target::p50Ms)),
                    ReportModel.atMost(r.p99Ms(), t.map(Results.Target::p99Ms)),
                    Cell.of(num(r.cpuMsPerOrderNetOfIdle() + idleAtTarget) + " / "
                            + (Double.isNaN(idleNow) ? "–" : num(r.cpuMsPerOrderNetOfIdle() + idleNow))),
                    Cell.of(num(measured)),
                    Cell.of(Double.isNaN(measured) ? "–" : num(measured - r.cpuMsPerOrder())),
                    verdict(r, t, idleAtTarget, idleNow)));
        }
        // "lane" first, as in the summary: median-of-runs.py reads the tables that start with it
        blocks.add(new Table(List.of("lane", "orders measured", "floor CPU ms/order", "floor net of idle",
                "floor by component", "floor p50 ms (flow's target)", "floor p99 ms (flow's target)",
                "floor net + idle share at the idle target / in this run", "the flow's CPU ms/order here",
                "the flow above its floor, ms", "the flow's CPU target"), rows));
        if (!errors.isEmpty()) {
            blocks.add(new Text("Not measured: " + String.join("; ", errors)));
        }
        List<Cell> links = new ArrayList<>();
        for (Results.MechanismFloorRun r : m.runs()) {
            String dir = m.output() + "/" + r.flow() + "/";
            links.add(Cell.link(r.flow() + ": " + r.command(), dir + "mechanism-floor.json"));
            links.add(Cell.link(r.flow() + ": its log", dir + "mechanism-floor.log"));
        }
        blocks.add(new Bullets(links));
        return new Section(ID, "Each mechanism alone: its floor on this machine", true, blocks);
    }

    /** "kafka 4.1, postgres-order 0.8, …, mechanism-jvm 3.6". */
    private static String components(Results.MechanismFloorRun r) {
        StringJoiner j = new StringJoiner(", ");
        r.cpuMsPerOrderByComponent().forEach((name, ms) -> j.add(name + " " + num(ms)));
        return j.length() == 0 ? "–" : j.toString();
    }

    /**
     * The CPU target against the mechanism's net cost and the idle stack's share, which every flow's whole-stack figure
     * carries (ADR 58): under the floor, no implementation on this engine reaches it here; under the floor plus the
     * share of an idle stack at its own target, none does unless the idle stack beats that target too; under the floor
     * plus this run's share, it needs a quieter idle stack; above all three, the rest is the services'.
     *
     * @param idleAtTarget the idle stack's share per order with the stack at its idle target
     * @param idleNow      the same with this run's idle stack; NaN when the run did not measure it
     */
    static Cell verdict(Results.MechanismFloorRun r, Optional<Results.Target> target, double idleAtTarget, double idleNow) {
        if (target.isEmpty() || Double.isNaN(r.cpuMsPerOrderNetOfIdle())) {
            return Cell.of("–");
        }
        double t = target.get().cpuMsPerOrder();
        double net = r.cpuMsPerOrderNetOfIdle();
        if (net > t) {
            return Cell.of("≤ " + num(t) + ": under the floor, not reachable here", Tone.WARN);
        }
        if (net + idleAtTarget > t) {
            return Cell.of("≤ " + num(t) + ": under the floor plus an idle stack at its target, not reachable here unless "
                    + "the idle stack beats its target", Tone.WARN);
        }
        if (!Double.isNaN(idleNow) && net + idleNow > t) {
            return Cell.of("≤ " + num(t) + ": under the floor plus this run's idle share, needs a quieter idle stack",
                    Tone.PLAIN);
        }
        return Cell.of("≤ " + num(t) + ": above the floor, the rest is the services'", Tone.PLAIN);
    }
}

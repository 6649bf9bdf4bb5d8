package io.txlab.loadtests.compare;

import io.txlab.devstack.Topology;
import io.txlab.loadtests.audit.Auditor;
import io.txlab.loadtests.chaos.StackControl;
import io.txlab.loadtests.config.WorkloadMix;
import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.report.Results;
import io.txlab.loadtests.scenarios.OrderGenerator;
import java.io.IOException;
import java.sql.SQLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Order deadlines measured (issue 17 part 4, ADR 38): for each flow in turn, the link that carries its payment step is
 * partitioned (packets dropped, as {@link FaultRuns#partition}), a few orders are placed with a short deadline, and
 * each is followed until final. The step hangs, so what the run shows is how each flow gives up: how long from the
 * order's creation to its cancellation with {@code DEADLINE_EXCEEDED}, as order-service recorded both. The link heals
 * {@code partitionSeconds} after the first order, the flow settles (the compensations that waited for the participant
 * finish), and the flow's orders are audited.
 *
 * <p>The link per flow is the one its payment step travels: the broker link of payment-service (choreography, outbox),
 * payment-service's link to Temporal (orchestration), the coordinator's link to payment-service (twopc). The cockroach
 * flow has no step outside its one transaction, so nothing of it can hang while the rest answers; it is listed, not run.
 */
final class DeadlinePhase {

    /** The flows with a step that can hang, in the order they run, and the link each one's payment step takes. */
    static final Map<String, String> LINKS = linkedMap(
            "choreography", Topology.PAYMENT_SERVICE + ">" + Topology.KAFKA,
            "outbox", Topology.PAYMENT_SERVICE + ">" + Topology.KAFKA,
            "orchestration", Topology.PAYMENT_SERVICE + ">" + Topology.TEMPORAL,
            "twopc", Topology.TWOPC_COORDINATOR + ">" + Topology.PAYMENT_SERVICE);

    /** Partitioned this much longer than the deadline: every order's deadline passes while its step still hangs. */
    static final double PARTITION_BEYOND_DEADLINE_SECONDS = 6;

    /** One order as followed. */
    record Followed(String id, String status, String reason, Instant createdAt, Instant completedAt) {
    }

    /** What the participants hold, or gave back, for orders: {@link Auditor#returned}. */
    interface Holdings {
        Map<UUID, Auditor.Returned> returned(Collection<UUID> orderIds) throws SQLException;
    }

    private final Plan plan;
    private final StackControl stack;
    private final FaultRuns faults;
    private final HttpClient http;
    private final String baseUrl;
    private final String runPrefix;
    private final Consumer<String> settle;
    private final Consumer<List<String>> warmup;
    private final BiFunction<String, String, Results.Audit> audit;
    private final Holdings holdings;
    private final Consumer<String> progress;

    /**
     * @param warmup a discarded run of the flows, after the services were restarted behind the link proxy
     * @param audit  (scope, flow) → the audit of that flow's orders
     */
    DeadlinePhase(Plan plan, StackControl stack, FaultRuns faults, HttpClient http, String baseUrl, String runPrefix,
                  Consumer<String> settle, Consumer<List<String>> warmup, BiFunction<String, String, Results.Audit> audit,
                  Holdings holdings, Consumer<String> progress) {
        this.holdings = holdings;
        this.plan = plan;
        this.stack = stack;
        this.faults = faults;
        this.http = http;
        this.baseUrl = baseUrl;
        this.runPrefix = runPrefix;
        this.settle = settle;
        this.warmup = warmup;
        this.audit = audit;
        this.progress = progress;
    }

    double partitionSeconds() {
        return plan.deadlineSeconds() + PARTITION_BEYOND_DEADLINE_SECONDS;
    }

    Results.Deadlines run(List<String> implemented) {
        List<String> flows = implemented.stream().filter(LINKS::containsKey).toList();
        List<Results.DeadlineRun> runs = new ArrayList<>();
        String error = null;
        try {
            if (!flows.isEmpty() && faults.behindLinkProxy("deadlines")) {
                warmup.accept(flows);
            }
            for (String flow : flows) {
                runs.add(runFlow(flow));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (RuntimeException e) {
            error = e.getMessage();
            progress.accept("deadlines: " + error);
        }
        if (implemented.contains(Auditor.COCKROACH)) {
            runs.add(new Results.DeadlineRun(Auditor.COCKROACH, null, 0, 0, Map.of(), null, null, 0, 0, null, null, 0, null,
                    "not run: one database transaction, no step outside it that could hang (ADR 38)"));
        }
        return new Results.Deadlines(plan.deadlineSeconds(), partitionSeconds(), plan.deadlineOrders(), runs, error);
    }

    private Results.DeadlineRun runFlow(String flow) throws InterruptedException {
        String link = LINKS.get(flow);
        String[] ends = link.split(">");
        String label = "deadlines " + flow;
        progress.accept(String.format(Locale.ROOT, "%s: partition %s, %d orders with a %s s deadline, heal %s s after the "
                + "first", label, link, plan.deadlineOrders(), fmt(plan.deadlineSeconds()), fmt(partitionSeconds())));
        OrderGenerator orders = new OrderGenerator(flow, new WorkloadMix(100, 0, 0), plan.seed(),
                runPrefix + "-deadline-" + flow);
        List<String> ids = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        stack.fault("partition", ends[0], ends[1]);
        long healAt = System.currentTimeMillis() + (long) (partitionSeconds() * 1000);
        try {
            for (int i = 0; i < plan.deadlineOrders(); i++) {
                OrderGenerator.GeneratedOrder order = orders.nextOrder();
                String placed = place(order);
                if (placed.startsWith("id:")) {
                    ids.add(placed.substring(3));
                } else {
                    refused.add(placed);
                }
                Thread.sleep(200);
            }
            List<Followed> followed = follow(ids, healAt);
            long left = healAt - System.currentTimeMillis();
            if (left > 0) {
                Thread.sleep(left);
            }
            stack.fault("heal", ends[0], ends[1]);
            progress.accept(label + ": healed " + link);
            settle.accept(flow);
            Results.Audit audited = audit.apply("deadlines: " + flow, flow);
            Map<UUID, Auditor.Returned> returned;
            try {
                returned = holdings.returned(followed.stream().map(f -> UUID.fromString(f.id())).toList());
            } catch (SQLException e) {
                progress.accept(label + ": could not read what the participants hold: " + e.getMessage());
                returned = Map.of();
            }
            Results.DeadlineRun run = summarize(flow, link, followed, refused, returned, audited);
            progress.accept(String.format(Locale.ROOT, "%s: %d of %d cancelled DEADLINE_EXCEEDED, created → cancelled "
                            + "p50 %s ms, max %s ms; %d held stock or money, all back p50 %s ms, max %s ms after "
                            + "creation, %d still held; outcomes %s; audit %s", label, run.deadlineExceeded(),
                    run.placed(), fmt(run.timeToCancelP50Ms()), fmt(run.timeToCancelMaxMs()), run.heldOrders(),
                    fmt(run.returnedP50Ms()), fmt(run.returnedMaxMs()), run.stillHeld(), run.outcomes(),
                    run.audit() == null ? "–" : run.audit().status()));
            return run;
        } finally {
            try {
                stack.fault("heal", ends[0], ends[1]);
            } catch (RuntimeException e) {
                progress.accept(label + ": could not heal " + link + ": " + e.getMessage());
            }
        }
    }

    /** "id:<order id>", or why the order was not accepted. */
    private String place(OrderGenerator.GeneratedOrder order) throws InterruptedException {
        String body = order.body().replaceFirst("^\\{", "{\"deadlineSeconds\":" + fmt(plan.deadlineSeconds()) + ",");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", order.idempotencyKey())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                return "answered " + response.statusCode();
            }
            return "id:" + ReportWriter.JSON.readTree(response.body()).path("id").asString();
        } catch (IOException e) {
            return "not answered: " + e.getMessage();
        }
    }

    /** Each order as it is once final, or when {@code until} passed. */
    private List<Followed> follow(List<String> ids, long until) throws InterruptedException {
        List<Followed> done = new ArrayList<>();
        for (String id : ids) {
            Followed last = read(id, 0);
            while (last == null || last.status().equals("PENDING")) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                last = read(id, Math.max(1, Math.min(10, left / 1000)));
            }
            done.add(last != null ? last : new Followed(id, "UNKNOWN", null, null, null));
        }
        return done;
    }

    private Followed read(String id, long waitSeconds) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/orders/" + id + (waitSeconds > 0 ? "?waitForFinal=" + waitSeconds + "s" : "")))
                    .timeout(Duration.ofSeconds(waitSeconds + 10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                Thread.sleep(200);
                return null;
            }
            JsonNode o = ReportWriter.JSON.readTree(response.body());
            return new Followed(id, o.path("status").asString(), o.path("reason").isNull() ? null : o.path("reason").asString(),
                    instant(o.path("createdAt")), instant(o.path("completedAt")));
        } catch (IOException e) {
            Thread.sleep(200);
            return null;
        }
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : Instant.parse(node.asString());
    }

    /** One flow's row: outcomes counted, created → cancelled of the DEADLINE_EXCEEDED ones. */
    static Results.DeadlineRun summarize(String flow, String link, List<Followed> followed, List<String> refused,
                                         Map<UUID, Auditor.Returned> returned, Results.Audit audit) {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Double> toCancel = new ArrayList<>();
        int notFinal = 0;
        for (Followed f : followed) {
            outcomes.merge(f.status() + (f.reason() == null ? "" : " " + f.reason()), 1, Integer::sum);
            if (!f.status().equals("CONFIRMED") && !f.status().equals("CANCELLED")) {
                notFinal++;
            }
            if ("DEADLINE_EXCEEDED".equals(f.reason()) && f.createdAt() != null && f.completedAt() != null) {
                toCancel.add(Duration.between(f.createdAt(), f.completedAt()).toNanos() / 1e6);
            }
        }
        refused.forEach(r -> outcomes.merge("not placed (" + r + ")", 1, Integer::sum));
        List<Double> toReturn = new ArrayList<>();
        int stillHeld = 0;
        int held = 0;
        for (Followed f : followed) {
            Auditor.Returned r = f.id() == null ? null : returned.get(UUID.fromString(f.id()));
            if (r == null || (r.returnedAt() == null && !r.stillHeld())) {
                continue;
            }
            held++;
            if (r.stillHeld()) {
                stillHeld++;
            } else if (f.createdAt() != null) {
                toReturn.add(Duration.between(f.createdAt(), r.returnedAt()).toNanos() / 1e6);
            }
        }
        return new Results.DeadlineRun(flow, link, followed.size() + refused.size(), toCancel.size(), outcomes,
                Stats.lowerMedian(toCancel), Stats.max(toCancel), notFinal, held, Stats.lowerMedian(toReturn), Stats.max(toReturn), stillHeld,
                audit, null);
    }

    private static String fmt(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static Map<String, String> linkedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}

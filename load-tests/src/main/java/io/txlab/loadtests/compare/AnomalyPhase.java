package io.txlab.loadtests.compare;

import io.txlab.loadtests.audit.AuditDatabases;
import io.txlab.loadtests.audit.Auditor;
import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.report.Results;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Isolation anomalies between concurrent orders, measured (issue 17 part 3, ADR 39). For each flow, {@code bursts}
 * times: a SKU of its own with {@link #UNITS} units and a customer of its own with {@link #UNITS} orders' worth of
 * money are added to the flow's databases, and {@link #ORDERS_PER_BURST} one-unit orders for that SKU are fired at
 * once: half from a customer with no money (BROKE-nn: their stock may be reserved, then their payment is declined and
 * the stock released), half from the burst's own customer. Run serially, the paying orders would take every unit and
 * every cent, and the broke ones would never hold anything a paying order wanted. Meanwhile a reader samples the
 * flow's order, payment and reservation rows, one table after the other, as another service or a report would.
 *
 * <p>From the rows once every order is final, and from what the reader saw, per flow:
 * <ul>
 *   <li>oversell and overdraft accepted (units or money confirmed beyond what there was; 0 unless an invariant broke),
 *       and the refusals for stock and for money, with how many of them were false: refused while what they asked for
 *       was only held by an order that gave it back later (at most the units and money left once all were final);</li>
 *   <li>dirty reads: stock or money a cancelled order held where anyone could read it, from the rows (every such
 *       order) and as the reader saw it;</li>
 *   <li>read skew across the services: an order seen CONFIRMED while, read after it, its charge or reservation was not
 *       there; a charge seen while, read after it, the order was still PENDING; a cancelled order still holding.</li>
 * </ul>
 * The fixture rows keep both conservation rules (initial = on hand + held), so the audit after each flow still holds
 * them to it. The reader's queries add load of their own: this phase counts anomalies, its timings are no cost figure.
 *
 * <p>A flow that offers a countermeasure runs its bursts a second time with it, as a row of its own (ADR 44): the
 * orchestration flow with the burst's SKU under a semantic lock, so that its stock is held as PENDING until the order
 * is final and a competing order short of it waits for the pending ones. The reader reads such a hold as PENDING, not
 * RESERVED: a reader that honours the lock does not count it as sold.
 */
final class AnomalyPhase {

    /** Units of each burst's SKU; the burst's paying customer has this many orders' worth of money. */
    static final int UNITS = 3;
    /** Orders fired at once per burst: half broke, half paying (one more paying order than there are units). */
    static final int ORDERS_PER_BURST = 2 * (UNITS + 1);
    static final BigDecimal PRICE = new BigDecimal("10.00");
    /** How long a burst's orders may take to become final before the phase goes on without them. */
    static final Duration BURST_TIMEOUT = Duration.ofSeconds(30);
    private static final String ORDER_STATUSES = "SELECT id, status FROM purchase_order WHERE id = ANY(?)";
    /** A reservation as a reader that honours semantic locks sees it: a pending hold reads PENDING (ADR 44). */
    private static final String RESERVATION_STATUSES = "SELECT order_id, CASE WHEN pending THEN 'PENDING' ELSE status END "
            + "FROM reservation WHERE order_id = ANY(?)";
    /** The countermeasure the orchestration flow offers, run as a row of its own (ADR 44). */
    static final String SEMANTIC_LOCK = "semantic lock";
    private static final String ORCHESTRATION = "orchestration";

    /** One row of the phase: a flow, and the countermeasure it runs with ({@code null}: none, the flow as it is). */
    record Lane(String flow, String countermeasure) {

        /** The flow's own row, then one per countermeasure it offers. */
        static List<Lane> of(List<String> flows) {
            List<Lane> lanes = new ArrayList<>();
            for (String flow : flows) {
                lanes.add(new Lane(flow, null));
                if (flow.equals(ORCHESTRATION)) {
                    lanes.add(new Lane(flow, SEMANTIC_LOCK));
                }
            }
            return lanes;
        }

        String label() {
            return countermeasure == null ? flow : flow + " + " + countermeasure;
        }

        /** In fixture names and idempotency keys. */
        String tag() {
            return countermeasure == null ? flow : flow + "-sl";
        }
    }

    /** One sample of the reader: orders, then payments, then reservations, then orders again (status per order). */
    record Sample(Map<UUID, String> orders, Map<UUID, String> payments, Map<UUID, String> reservations,
                  Map<UUID, String> ordersAfter) {
    }

    /** An order once final, with what the participants' rows say it held. */
    record FinalOrder(UUID id, int burst, boolean paying, String status, String reason, Instant createdAt,
                      Instant completedAt, int retries, Instant stockHeldAt, Instant stockReleasedAt,
                      boolean moneyHeldThenRefunded) {
    }

    /** What was left of a burst's SKU and customer once every order was final. */
    record BurstEnd(int burst, int available, BigDecimal balance) {
    }

    private final int bursts;
    private final AuditDatabases db;
    private final HttpClient http;
    private final String baseUrl;
    private final String runPrefix;
    private final Consumer<String> settle;
    private final BiFunction<String, String, Results.Audit> audit;
    private final Consumer<String> progress;

    AnomalyPhase(int bursts, AuditDatabases db, HttpClient http, String baseUrl, String runPrefix,
                 Consumer<String> settle, BiFunction<String, String, Results.Audit> audit, Consumer<String> progress) {
        this.bursts = bursts;
        this.db = db;
        this.http = http;
        this.baseUrl = baseUrl;
        this.runPrefix = runPrefix;
        this.settle = settle;
        this.audit = audit;
        this.progress = progress;
    }

    Results.Anomalies run(List<String> flows) {
        List<Results.AnomalyRun> runs = new ArrayList<>();
        String error = null;
        try {
            for (Lane lane : Lane.of(flows)) {
                runs.add(runLane(lane));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (SQLException | RuntimeException e) {
            error = e.getMessage();
            progress.accept("anomalies: " + error);
        }
        return new Results.Anomalies(bursts, ORDERS_PER_BURST, UNITS, runs, error);
    }

    private Results.AnomalyRun runLane(Lane lane) throws InterruptedException, SQLException {
        String flow = lane.flow();
        String label = "anomalies " + lane.label();
        boolean single = flow.equals(Auditor.COCKROACH);
        String ordersUrl = single ? db.cockroachUrl() : db.ordersUrl();
        String inventoryUrl = single ? db.cockroachUrl() : db.inventoryUrl();
        String paymentUrl = single ? db.cockroachUrl() : db.paymentUrl();
        progress.accept(String.format(Locale.ROOT, "%s: %d bursts of %d concurrent orders for %d units, a reader sampling",
                label, bursts, ORDERS_PER_BURST, UNITS));
        Map<UUID, Integer> burstOf = new ConcurrentHashMap<>(); // every order placed, and its burst
        Set<UUID> paying = ConcurrentHashMap.newKeySet();
        List<String> refused = new ArrayList<>();
        Reader reader = new Reader(ordersUrl, paymentUrl, inventoryUrl, burstOf.keySet());
        reader.start();
        try (Connection inv = connect(inventoryUrl); Connection pay = connect(paymentUrl)) {
            for (int b = 0; b < bursts; b++) {
                String sku = fixture(lane, b);
                String customer = fixture(lane, b);
                try (PreparedStatement p = inv.prepareStatement("INSERT INTO product (sku, name, price, initial_stock, "
                        + "available, semantic_lock) VALUES (?, ?, ?, ?, ?, ?)")) {
                    p.setString(1, sku);
                    p.setString(2, "Anomaly run hot product");
                    p.setBigDecimal(3, PRICE);
                    p.setInt(4, UNITS);
                    p.setInt(5, UNITS);
                    p.setBoolean(6, SEMANTIC_LOCK.equals(lane.countermeasure()));
                    p.executeUpdate();
                }
                try (PreparedStatement p = pay.prepareStatement("INSERT INTO account (customer_id, initial_balance, balance) "
                        + "VALUES (?, ?, ?)")) {
                    BigDecimal money = PRICE.multiply(BigDecimal.valueOf(UNITS));
                    p.setString(1, customer);
                    p.setBigDecimal(2, money);
                    p.setBigDecimal(3, money);
                    p.executeUpdate();
                }
                List<CompletableFuture<String>> sent = new ArrayList<>();
                List<Boolean> isPaying = new ArrayList<>();
                for (int i = 0; i < ORDERS_PER_BURST; i++) {
                    boolean payer = i % 2 == 1; // broke and paying alternate, so neither kind is always first
                    String who = payer ? customer : String.format(Locale.ROOT, "BROKE-%02d", 1 + i / 2);
                    String body = "{\"customerId\":\"" + who + "\",\"flow\":\"" + flow + "\",\"lines\":[{\"sku\":\"" + sku
                            + "\",\"quantity\":1,\"unitPrice\":" + PRICE.toPlainString() + "}]}";
                    sent.add(place(body, runPrefix + "-anomaly-" + lane.tag() + "-" + b + "-" + i));
                    isPaying.add(payer);
                }
                List<UUID> ids = new ArrayList<>();
                for (int i = 0; i < sent.size(); i++) {
                    String outcome = sent.get(i).join();
                    if (outcome.startsWith("id:")) {
                        UUID id = UUID.fromString(outcome.substring(3));
                        ids.add(id);
                        burstOf.put(id, b);
                        if (isPaying.get(i)) {
                            paying.add(id);
                        }
                    } else {
                        refused.add(outcome);
                    }
                }
                awaitFinal(ordersUrl, ids);
            }
        } finally {
            reader.stop();
        }
        settle.accept(flow);
        List<FinalOrder> orders = finalOrders(single, ordersUrl, inventoryUrl, paymentUrl, burstOf, paying);
        List<BurstEnd> ends = burstEnds(lane, inventoryUrl, paymentUrl);
        Results.Audit audited = audit.apply("anomalies: " + lane.label(), flow);
        Results.AnomalyRun run = analyze(lane, orders, ends, reader.samples(), refused, audited,
                reader.error() == null ? null : "reader stopped: " + reader.error());
        progress.accept(String.format(Locale.ROOT, "%s: %d orders, %d refused for stock (%d false), %d held stock and were "
                        + "cancelled (%d seen by the reader in %d samples), %d seen CONFIRMED before their charge; audit %s",
                label, run.placed(), run.refusedForStock(), run.falseStockRejections(), run.stockHeldThenCancelled(),
                run.dirtyStockSeen(), run.samples(), run.confirmedUnpaidSeen(),
                audited == null ? "–" : audited.status()));
        return run;
    }

    /** The burst's own SKU, and its paying customer's id (the same name in another table). */
    private String fixture(Lane lane, int burst) {
        return "ANOM-" + runPrefix + "-" + lane.tag() + "-" + burst;
    }

    /** "id:<order id>" once order-service answered 201, or why it did not. */
    private CompletableFuture<String> place(String body, String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            if (failure != null) {
                return "not answered: " + failure.getMessage();
            }
            if (response.statusCode() != 201) {
                return "answered " + response.statusCode();
            }
            return "id:" + ReportWriter.JSON.readTree(response.body()).path("id").asString();
        });
    }

    private void awaitFinal(String ordersUrl, List<UUID> ids) throws InterruptedException, SQLException {
        long until = System.currentTimeMillis() + BURST_TIMEOUT.toMillis();
        try (Connection c = connect(ordersUrl)) {
            while (System.currentTimeMillis() < until) {
                Map<UUID, String> status = statuses(c, ORDER_STATUSES, ids);
                if (status.size() == ids.size() && !status.containsValue("PENDING")) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        progress.accept("anomalies: a burst's orders were not all final after " + BURST_TIMEOUT.toSeconds() + " s; going on");
    }

    private List<FinalOrder> finalOrders(boolean single, String ordersUrl, String inventoryUrl, String paymentUrl,
                                         Map<UUID, Integer> burstOf, Set<UUID> paying) throws SQLException {
        UUID[] ids = burstOf.keySet().toArray(UUID[]::new);
        Map<UUID, Instant[]> stock = new HashMap<>();
        try (Connection c = connect(inventoryUrl); PreparedStatement q = c.prepareStatement("SELECT r.order_id, "
                + "r.created_at, r.released_at FROM reservation r WHERE r.order_id = ANY(?) "
                + "AND EXISTS (SELECT 1 FROM reservation_line l WHERE l.order_id = r.order_id)")) {
            q.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    stock.put(rs.getObject(1, UUID.class), new Instant[] {instant(rs.getTimestamp(2)), instant(rs.getTimestamp(3))});
                }
            }
        }
        Set<UUID> refunded = new HashSet<>();
        try (Connection c = connect(paymentUrl); PreparedStatement q = c.prepareStatement("SELECT order_id FROM payment "
                + "WHERE order_id = ANY(?) AND status = 'REFUNDED' AND amount > 0")) {
            q.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    refunded.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<FinalOrder> orders = new ArrayList<>();
        try (Connection c = connect(ordersUrl); PreparedStatement q = c.prepareStatement("SELECT id, status, reason, "
                + "created_at, completed_at, " + (single ? "retries" : "0") + " FROM purchase_order WHERE id = ANY(?)")) {
            q.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    Instant[] held = stock.get(id);
                    orders.add(new FinalOrder(id, burstOf.get(id), paying.contains(id), rs.getString(2), rs.getString(3),
                            instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), rs.getInt(6),
                            held == null ? null : held[0], held == null ? null : held[1], refunded.contains(id)));
                }
            }
        }
        return orders;
    }

    private List<BurstEnd> burstEnds(Lane lane, String inventoryUrl, String paymentUrl) throws SQLException {
        List<BurstEnd> ends = new ArrayList<>();
        try (Connection inv = connect(inventoryUrl); Connection pay = connect(paymentUrl);
             PreparedStatement s = inv.prepareStatement("SELECT available FROM product WHERE sku = ?");
             PreparedStatement m = pay.prepareStatement("SELECT balance FROM account WHERE customer_id = ?")) {
            for (int b = 0; b < bursts; b++) {
                s.setString(1, fixture(lane, b));
                m.setString(1, fixture(lane, b));
                try (ResultSet a = s.executeQuery(); ResultSet c = m.executeQuery()) {
                    if (a.next() && c.next()) {
                        ends.add(new BurstEnd(b, a.getInt(1), c.getBigDecimal(1)));
                    }
                }
            }
        }
        return ends;
    }

    /** One lane's row, from its orders once final, its bursts' leftovers and the reader's samples. */
    static Results.AnomalyRun analyze(Lane lane, List<FinalOrder> orders, List<BurstEnd> ends, List<Sample> samples,
                                      List<String> refused, Results.Audit audit, String note) {
        String flow = lane.flow();
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<UUID, FinalOrder> byId = new HashMap<>();
        int notFinal = 0;
        int retries = 0;
        List<Double> toFinal = new ArrayList<>();
        List<Double> held = new ArrayList<>();
        int moneyHeld = 0;
        for (FinalOrder o : orders) {
            byId.put(o.id(), o);
            outcomes.merge(o.status() + (o.reason() == null ? "" : " " + o.reason()), 1, Integer::sum);
            retries += o.retries();
            if (o.status().equals("PENDING")) {
                notFinal++;
            } else if (o.createdAt() != null && o.completedAt() != null) {
                toFinal.add(Duration.between(o.createdAt(), o.completedAt()).toNanos() / 1e6);
            }
            if (o.status().equals("CANCELLED") && o.stockHeldAt() != null) {
                held.add(o.stockReleasedAt() == null ? Double.NaN
                        : Duration.between(o.stockHeldAt(), o.stockReleasedAt()).toNanos() / 1e6);
            }
            if (o.status().equals("CANCELLED") && o.moneyHeldThenRefunded()) {
                moneyHeld++;
            }
        }
        refused.forEach(r -> outcomes.merge("not placed (" + r + ")", 1, Integer::sum));

        int oversold = 0;
        int overdrawn = 0;
        int refusedForStock = 0;
        int falseStock = 0;
        int refusedForFunds = 0;
        int falseFunds = 0;
        int refusedOther = (int) orders.stream().filter(o -> o.status().equals("CANCELLED") && o.reason() != null
                && !o.reason().equals("OUT_OF_STOCK") && !o.reason().equals("INSUFFICIENT_FUNDS")).count();
        for (BurstEnd end : ends) {
            List<FinalOrder> burst = orders.stream().filter(o -> o.burst() == end.burst()).toList();
            long confirmed = burst.stream().filter(o -> o.status().equals("CONFIRMED")).count();
            long confirmedPaying = burst.stream().filter(o -> o.paying() && o.status().equals("CONFIRMED")).count();
            oversold += (int) Math.max(0, confirmed - UNITS);
            overdrawn += (int) Math.max(0, confirmedPaying - UNITS);
            int forStock = (int) burst.stream().filter(o -> "OUT_OF_STOCK".equals(o.reason())).count();
            int forFunds = (int) burst.stream().filter(o -> o.paying() && "INSUFFICIENT_FUNDS".equals(o.reason())).count();
            refusedForStock += forStock;
            refusedForFunds += forFunds;
            falseStock += Math.min(forStock, Math.max(0, end.available()));
            falseFunds += Math.min(forFunds, end.balance().divideToIntegralValue(PRICE).intValue());
        }

        Set<UUID> dirtyStock = new HashSet<>();
        Set<UUID> pendingStock = new HashSet<>();
        Set<UUID> dirtyMoney = new HashSet<>();
        Set<UUID> confirmedUnpaid = new HashSet<>();
        Set<UUID> confirmedUnreserved = new HashSet<>();
        Set<UUID> paidWhilePending = new HashSet<>();
        Set<UUID> cancelledHolding = new HashSet<>();
        for (Sample s : samples) {
            s.reservations().forEach((id, status) -> {
                if (status.equals("RESERVED") && cancelled(byId.get(id))) {
                    dirtyStock.add(id);
                }
                if (status.equals("PENDING") && cancelled(byId.get(id))) {
                    pendingStock.add(id);
                }
            });
            s.payments().forEach((id, status) -> {
                if (status.equals("AUTHORIZED") && cancelled(byId.get(id))) {
                    dirtyMoney.add(id);
                }
                if (status.equals("AUTHORIZED") && "PENDING".equals(s.ordersAfter().get(id))) {
                    paidWhilePending.add(id);
                }
            });
            s.orders().forEach((id, status) -> {
                if (status.equals("CONFIRMED")) {
                    if (!"AUTHORIZED".equals(s.payments().get(id))) {
                        confirmedUnpaid.add(id);
                    }
                    if (!holds(s.reservations().get(id))) {
                        confirmedUnreserved.add(id);
                    }
                } else if (status.equals("CANCELLED") && (holds(s.reservations().get(id))
                        || "AUTHORIZED".equals(s.payments().get(id)))) {
                    cancelledHolding.add(id);
                }
            });
        }
        List<Double> heldTimes = held.stream().filter(v -> !v.isNaN()).toList();
        return new Results.AnomalyRun(flow, lane.countermeasure(), orders.size() + refused.size(), outcomes, notFinal, oversold, overdrawn,
                refusedForStock, falseStock, refusedOther, refusedForFunds, falseFunds, held.size(), Stats.lowerMedian(heldTimes),
                Stats.max(heldTimes), moneyHeld, samples.size(), dirtyStock.size(), dirtyMoney.size(), confirmedUnpaid.size(),
                confirmedUnreserved.size(), paidWhilePending.size(), cancelledHolding.size(),
                lane.countermeasure() == null ? null : pendingStock.size(),
                flow.equals(Auditor.COCKROACH) ? retries : null, Stats.lowerMedian(toFinal), Stats.max(toFinal), audit, note);
    }

    /** A reservation read as holding stock: RESERVED, or PENDING under a semantic lock. */
    private static boolean holds(String reservation) {
        return "RESERVED".equals(reservation) || "PENDING".equals(reservation);
    }

    private static boolean cancelled(FinalOrder o) {
        return o != null && o.status().equals("CANCELLED");
    }

    /**
     * Samples the flow's rows until stopped: the orders placed so far, their charges, their reservations and the
     * orders once more, one query after the other on connections of its own (as a reader in another service would).
     */
    private final class Reader implements Runnable {

        private final String ordersUrl;
        private final String paymentUrl;
        private final String inventoryUrl;
        private final Collection<UUID> placed;
        private final List<Sample> samples = new ArrayList<>();
        private final Thread thread = new Thread(this, "anomaly-reader");
        private volatile boolean running = true;
        private volatile String error;

        Reader(String ordersUrl, String paymentUrl, String inventoryUrl, Collection<UUID> placed) {
            this.ordersUrl = ordersUrl;
            this.paymentUrl = paymentUrl;
            this.inventoryUrl = inventoryUrl;
            this.placed = placed;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        String error() {
            return error;
        }

        List<Sample> samples() {
            synchronized (samples) {
                return List.copyOf(samples);
            }
        }

        @Override
        public void run() {
            try (Connection o = connect(ordersUrl); Connection p = connect(paymentUrl); Connection r = connect(inventoryUrl)) {
                while (running) {
                    List<UUID> ids = List.copyOf(placed);
                    if (ids.isEmpty()) {
                        Thread.sleep(2);
                        continue;
                    }
                    Map<UUID, String> orders = statuses(o, ORDER_STATUSES, ids);
                    Map<UUID, String> payments = statuses(p, "SELECT order_id, status FROM payment WHERE order_id = ANY(?)", ids);
                    Map<UUID, String> reservations = statuses(r, RESERVATION_STATUSES, ids);
                    Map<UUID, String> after = statuses(o, ORDER_STATUSES, ids);
                    synchronized (samples) {
                        samples.add(new Sample(orders, payments, reservations, after));
                    }
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException | RuntimeException e) {
                error = e.getMessage();
            }
        }
    }

    private static Map<UUID, String> statuses(Connection c, String sql, List<UUID> ids) throws SQLException {
        Map<UUID, String> result = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getObject(1, UUID.class), rs.getString(2));
                }
            }
        }
        return result;
    }

    private Connection connect(String url) throws SQLException {
        return db.connect(url);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

}

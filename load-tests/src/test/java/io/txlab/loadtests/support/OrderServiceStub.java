package io.txlab.loadtests.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for order-service's two endpoints, for testing the load pipeline (Gatling, recorder, report) without
 * the stack: POST /orders answers 201 PENDING, the order turns final after {@code finalizeAfterMs}
 * (CANCELLED for BROKE customers and SOLDOUT SKUs), GET ?waitForFinal long-polls. With {@code finalizeAfterMs} 0
 * the POST answers the final order, as the single-transaction flows do. With {@code honourPreferWait}, a POST
 * carrying {@code Prefer: wait=n} is answered once its order is final or after n seconds, as order-service does
 * (adr/0048); without, the stub is a server that ignores the preference. A flow listed as missing gets
 * the real service's 422 problem. Loopback only; tests only.
 */
public final class OrderServiceStub implements AutoCloseable {

    private record StubOrder(String id, String customer, String flow, String status, String reason, Instant createdAt,
                             Instant completedAt) {
    }

    private final HttpServer server;
    private final ScheduledExecutorService finalizer = Executors.newSingleThreadScheduledExecutor();
    private final Map<String, StubOrder> orders = new ConcurrentHashMap<>();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final Map<String, String> traceparents = new ConcurrentHashMap<>();
    private final Map<String, String> prefers = new ConcurrentHashMap<>();
    private final AtomicInteger gets = new AtomicInteger();
    private final long finalizeAfterMs;
    private final String missingFlow;
    private final boolean honourPreferWait;

    public OrderServiceStub(long finalizeAfterMs, String missingFlow) throws IOException {
        this(finalizeAfterMs, missingFlow, false);
    }

    public OrderServiceStub(long finalizeAfterMs, String missingFlow, boolean honourPreferWait) throws IOException {
        this.finalizeAfterMs = finalizeAfterMs;
        this.honourPreferWait = honourPreferWait;
        this.missingFlow = missingFlow;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/orders", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int orderCount() {
        return orders.size();
    }

    /** How many GET requests (long-polls) arrived. */
    public int getCount() {
        return gets.get();
    }

    /** The {@code traceparent} header each POST carried, by order id (absent when it carried none). */
    public Map<String, String> traceparents() {
        return Map.copyOf(traceparents);
    }

    /** The {@code Prefer} header each POST carried, by order id (absent when it carried none). */
    public Map<String, String> prefers() {
        return Map.copyOf(prefers);
    }

    /** The flow each order was placed with, by order id. */
    public Map<String, String> flows() {
        Map<String, String> flows = new java.util.HashMap<>();
        orders.forEach((id, o) -> flows.put(id, o.flow));
        return flows;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestMethod().equals("POST")) {
                post(ex);
            } else {
                get(ex);
            }
        }
    }

    private void post(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String flow = field(body, "flow");
        if (flow.equals(missingFlow)) {
            respond(ex, 422, "{\"title\":\"Flow not implemented\",\"detail\":\"flow '" + flow + "' is not implemented in this build\"}");
            return;
        }
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        String id = keys.computeIfAbsent(key, k -> UUID.randomUUID().toString());
        String customer = field(body, "customerId");
        String traceparent = ex.getRequestHeaders().getFirst("traceparent");
        if (traceparent != null) {
            traceparents.put(id, traceparent);
        }
        String prefer = ex.getRequestHeaders().getFirst("Prefer");
        if (prefer != null) {
            prefers.put(id, prefer);
        }
        orders.putIfAbsent(id, new StubOrder(id, customer, flow, "PENDING", null, Instant.now(), null));
        String reason = customer.startsWith("BROKE") ? "INSUFFICIENT_FUNDS" : body.contains("SOLDOUT") ? "OUT_OF_STOCK" : null;
        Runnable finalize = () -> orders.computeIfPresent(id, (k, o) -> new StubOrder(o.id, o.customer, o.flow,
                reason == null ? "CONFIRMED" : "CANCELLED", reason, o.createdAt, Instant.now()));
        if (finalizeAfterMs == 0) {
            finalize.run();
        } else {
            finalizer.schedule(finalize, finalizeAfterMs, TimeUnit.MILLISECONDS);
        }
        if (honourPreferWait && prefer != null && prefer.startsWith("wait=")) {
            StubOrder order = awaitFinal(id, Long.parseLong(prefer.substring("wait=".length())));
            ex.getResponseHeaders().set("Preference-Applied", prefer);
            respond(ex, 201, json(order));
        } else {
            respond(ex, 201, json(orders.get(id)));
        }
    }

    private void get(HttpExchange ex) throws IOException {
        gets.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        String id = path.substring(path.lastIndexOf('/') + 1);
        StubOrder order = awaitFinal(id, 5);
        if (order == null) {
            respond(ex, 404, "{}");
        } else {
            respond(ex, 200, json(order));
        }
    }

    /** The order once it is not PENDING, or as it is after the seconds; null when there is none. */
    private StubOrder awaitFinal(String id, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        StubOrder order = orders.get(id);
        while (order != null && order.status.equals("PENDING") && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            order = orders.get(id);
        }
        return order;
    }

    private static String json(StubOrder o) {
        return "{\"id\":\"" + o.id + "\",\"customerId\":\"" + o.customer + "\",\"flow\":\"" + o.flow + "\",\"status\":\""
                + o.status + "\",\"reason\":" + (o.reason == null ? "null" : "\"" + o.reason + "\"")
                + ",\"createdAt\":\"" + o.createdAt + "\",\"completedAt\":"
                + (o.completedAt == null ? "null" : "\"" + o.completedAt + "\"") + ",\"backend\":\"stub\"}";
    }

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"");
        if (i < 0) {
            return "";
        }
        int start = i + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        finalizer.shutdownNow();
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package io.txlab.order.catalogue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A stand-in for the read side of inventory-service ({@code GET /products/{sku}}) and payment-service
 * ({@code GET /customers/{id}}), knowing the seed ids ({@code SKU-0001..SKU-1000}, {@code SOLDOUT-01..10},
 * {@code HOT-01}, {@code C-0001..C-1000}, {@code BROKE-01..10}) and the seed prices. It stubs the services, not the
 * database.
 */
public final class ReferenceServicesStub implements AutoCloseable {

    private static final Pattern SKU = Pattern.compile("SKU-(0\\d{3}|1000)|SOLDOUT-(0[1-9]|10)|HOT-01");
    private static final Pattern CUSTOMER = Pattern.compile("C-(0\\d{3}|1000)|BROKE-(0[1-9]|10)");

    private final HttpServer server;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicBoolean customersDown = new AtomicBoolean();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    /** Bodies served at exact paths under {@code /reservations/} and {@code /payments/}; other paths answer 404. */
    private final Map<String, String> records = new ConcurrentHashMap<>();
    private final Map<String, List<String>> posts = new ConcurrentHashMap<>();

    private ReferenceServicesStub(HttpServer server) {
        this.server = server;
    }

    public static ReferenceServicesStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ReferenceServicesStub stub = new ReferenceServicesStub(server);
            server.createContext("/products/", exchange -> stub.answer(exchange, "/products/", SKU));
            server.createContext("/customers/", exchange -> stub.answer(exchange, "/customers/", CUSTOMER));
            server.createContext("/reservations/", stub::answerRecord);
            server.createContext("/payments/", stub::answerRecord);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** While down, every look-up answers 503. */
    public void down(boolean value) {
        down.set(value);
        customersDown.set(value);
    }

    /** While down, customer look-ups (payment-service's side) answer 503; products still answer. */
    public void customersDown(boolean value) {
        customersDown.set(value);
    }

    /** How many requests reached {@code path} (e.g. {@code /products/SKU-0001}). */
    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    /**
     * Serves {@code json} at {@code path} (e.g. {@code /reservations/<orderId>}), as inventory's or payment's read
     * side would answer for a record the test pretends they hold.
     */
    public void record(String path, String json) {
        records.put(path, json);
    }

    /**
     * The {@code Idempotency-Key}s of the POSTs that reached {@code path} (e.g. {@code /payments/<id>/refund}), in
     * order; a POST is a participant's manual compensation, answered 200 with {@code {}}, or 503 while down.
     */
    public List<String> posts(String path) {
        return posts.getOrDefault(path, List.of());
    }

    private void answerRecord(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("POST")) {
            int status = down.get() ? 503 : 200;
            if (status == 200) {
                posts.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            }
            byte[] body = (status == 200 ? "{}" : "{\"status\":503}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        String json = records.get(exchange.getRequestURI().getPath());
        byte[] body = (json != null ? json : "{\"status\":404}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(json != null ? 200 : 404, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private void answer(HttpExchange exchange, String prefix, Pattern known) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        String id = path.substring(prefix.length());
        boolean unavailable = prefix.equals("/customers/") ? customersDown.get() : down.get();
        int status = unavailable ? 503 : known.matcher(id).matches() ? 200 : 404;
        String record = prefix.equals("/products/")
                ? "{\"sku\":\"" + id + "\",\"price\":" + price(id).toPlainString() + "}"
                : "{\"customerId\":\"" + id + "\"}";
        byte[] body = (status == 200 ? record : "{\"status\":" + status + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** The seed catalogue's price: {@code SKU-n} costs 10.00 + (n mod 90), every other seeded SKU 10.00. */
    public static BigDecimal price(String sku) {
        return sku.startsWith("SKU-")
                ? new BigDecimal("10.00").add(BigDecimal.valueOf(Integer.parseInt(sku.substring(4)) % 90))
                : new BigDecimal("10.00");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

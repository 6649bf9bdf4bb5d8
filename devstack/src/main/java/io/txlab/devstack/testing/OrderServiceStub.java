package io.txlab.devstack.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * order-service's {@code GET /orders/{id}} for a participant's own integration tests, which run without order-service:
 * it answers {@code {"id":…,"status":…}} for the orders given a status, 404 for the others, and 500 for every order
 * while {@link #failing} is set. On 127.0.0.1, a free port, daemon threads; one per test JVM is enough.
 */
public final class OrderServiceStub implements AutoCloseable {

    private final HttpServer server;
    private final Map<UUID, String> statuses = new ConcurrentHashMap<>();
    private volatile boolean failing;

    private OrderServiceStub(HttpServer server) {
        this.server = server;
    }

    public static OrderServiceStub start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OrderServiceStub stub = new OrderServiceStub(server);
            server.createContext("/orders/", stub::answer);
            server.start();
            return stub;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the order-service stub", e);
        }
    }

    /** Its base URL, for {@code txlab.services.order-url}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on the order has this status (PENDING, CONFIRMED, CANCELLED). */
    public void status(UUID orderId, String status) {
        statuses.put(orderId, status);
    }

    /** While true, every order is answered 500, as by an order-service that cannot read its database. */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String id = exchange.getRequestURI().getPath().substring("/orders/".length());
            String status = null;
            try {
                status = statuses.get(UUID.fromString(id));
            } catch (IllegalArgumentException notAnId) {
                // answered 404 below
            }
            int code = failing ? 500 : status == null ? 404 : 200;
            byte[] body = (code == 200 ? "{\"id\":\"" + id + "\",\"status\":\"" + status + "\"}" : "{}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", code == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

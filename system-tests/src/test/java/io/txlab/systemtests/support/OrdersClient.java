package io.txlab.systemtests.support;

import io.txlab.contracts.Flow;
import io.txlab.contracts.order.OrderLine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to order-service over real HTTP, as a user of txlab would. */
public final class OrdersClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public OrdersClient(String baseUrl) {
        this.baseUrl = URI.create(baseUrl);
    }

    /**
     * An HTTP answer: status code, parsed JSON body (an empty object when the body is not JSON) and the
     * {@code X-Trace-Id} header (null when absent).
     */
    public record Response(int status, JsonNode body, String traceId) {
        public UUID orderId() {
            return UUID.fromString(body.get("id").asString());
        }

        public String orderStatus() {
            return body.path("status").asString();
        }
    }

    /** Places an order with a fresh idempotency key. */
    public Response place(Flow flow, String customerId, List<OrderLine> lines) {
        return place(UUID.randomUUID().toString(), flow, customerId, lines);
    }

    public Response place(String idempotencyKey, Flow flow, String customerId, List<OrderLine> lines) {
        return place(idempotencyKey, flow, customerId, lines, null);
    }

    /** @param deadlineSeconds the order's deadline (adr/0038); null for the service's */
    public Response place(String idempotencyKey, Flow flow, String customerId, List<OrderLine> lines,
                          Double deadlineSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customerId", customerId);
        body.put("flow", flow.id());
        body.put("lines", lines);
        if (deadlineSeconds != null) {
            body.put("deadlineSeconds", deadlineSeconds);
        }
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/orders"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        return send(request);
    }

    public Response get(UUID orderId) {
        return send(HttpRequest.newBuilder(baseUrl.resolve("/orders/" + orderId)).timeout(Duration.ofSeconds(10))
                .GET().build());
    }

    /** GET on any path of order-service. */
    public Response getPath(String path) {
        return send(HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(Duration.ofSeconds(35)).GET().build());
    }

    /**
     * Long-polls until the order is CONFIRMED or CANCELLED, tolerating order-service restarts (connection refused)
     * until the deadline.
     *
     * @throws AssertionError naming the last state seen when the deadline passes first
     */
    public JsonNode awaitFinal(UUID orderId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            long waitMs = Math.max(1, Math.min(5_000, Duration.between(Instant.now(), deadline).toMillis()));
            try {
                Response response = send(HttpRequest.newBuilder(
                                baseUrl.resolve("/orders/" + orderId + "?waitForFinal=" + waitMs + "ms"))
                        .timeout(Duration.ofMillis(waitMs + 10_000)).GET().build());
                if (response.status() == 200) {
                    String status = response.orderStatus();
                    if (status.equals("CONFIRMED") || status.equals("CANCELLED")) {
                        return response.body();
                    }
                    last = status;
                } else {
                    last = "HTTP " + response.status() + " " + response.body();
                    pause();
                }
            } catch (UncheckedIOException e) {
                last = "order-service unreachable: " + e.getMessage();
                pause();
            }
        }
        throw new AssertionError("order " + orderId + " not final after " + timeout + "; last seen: " + last);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (RuntimeException notJson) {
                body = JSON.createObjectNode().put("raw", response.body());
            }
            return new Response(response.statusCode(), body,
                    response.headers().firstValue("X-Trace-Id").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Connection-level failure (service down or restarting). */
    public static final class UncheckedIOException extends RuntimeException {
        UncheckedIOException(IOException cause) {
            super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }
}

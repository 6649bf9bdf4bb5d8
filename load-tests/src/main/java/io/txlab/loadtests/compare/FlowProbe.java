package io.txlab.loadtests.compare;

import io.txlab.loadtests.report.ReportWriter;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Before a flow is measured: one order through it, and the backend it reports it runs on. */
final class FlowProbe {

    /** {@code OK}, {@code MISSING} or {@code FAILED}, why, and the probe order as the service last returned it. */
    record Result(String status, String detail, JsonNode order) {

        boolean ok() {
            return status.equals("OK");
        }
    }

    /** The backend's name and where that name came from. */
    record Backend(String name, String source) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String runPrefix;

    FlowProbe(HttpClient http, String baseUrl, String runPrefix) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.runPrefix = runPrefix;
    }

    /** One order through the flow: MISSING on the service's 422 "not implemented", FAILED when it cannot finish one. */
    Result probe(String flow) {
        try {
            HttpResponse<String> post = placeOrder(flow);
            if (post.statusCode() == 422 && post.body().contains("not implemented")) {
                return new Result("MISSING", "order-service answers 422: " + problemDetail(post.body()), null);
            }
            if (post.statusCode() != 201 && post.statusCode() != 200) {
                return new Result("FAILED", "probe POST /orders answered " + post.statusCode() + ": " + problemDetail(post.body()), null);
            }
            String id = ReportWriter.JSON.readTree(post.body()).path("id").asString();
            JsonNode order = waitForFinal(id);
            String status = order.path("status").asString();
            if (!status.equals("CONFIRMED")) {
                return new Result("FAILED", "probe order " + id + " ended " + status + " " + order.path("reason").asString()
                        + " (expected CONFIRMED within 15 s)", order);
            }
            return new Result("OK", "probe order " + id + " CONFIRMED", order);
        } catch (IOException | RuntimeException e) {
            return new Result("FAILED", "order-service unreachable at " + baseUrl + ": " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result("FAILED", "interrupted", null);
        }
    }

    private HttpResponse<String> placeOrder(String flow) throws IOException, InterruptedException {
        String key = runPrefix + "-probe-" + flow;
        String body = "{\"customerId\":\"C-0001\",\"flow\":\"" + flow + "\",\"lines\":[{\"sku\":\"SKU-0001\",\"quantity\":1,\"unitPrice\":11.00}]}";
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders"))
                .timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode waitForFinal(String id) throws IOException, InterruptedException {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/orders/" + id + "?waitForFinal=15s"))
                .timeout(Duration.ofSeconds(25)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return ReportWriter.JSON.readTree(get.body());
    }

    /**
     * The backend as the service reports it (order JSON {@code backend}, or {@code /actuator/info}
     * {@code txlab.<flow>.backend}); never assumed.
     */
    Backend backend(String flow, Result probe) {
        if (probe.order() != null && probe.order().hasNonNull("backend")) {
            return new Backend(probe.order().get("backend").asString(), "order JSON field backend");
        }
        Optional<JsonNode> info = Environment.info(baseUrl);
        if (info.isPresent()) {
            JsonNode node = info.get().path("txlab").path(flow).path("backend");
            if (node.isValueNode()) {
                return new Backend(node.asString(), "order-service /actuator/info txlab." + flow + ".backend");
            }
        }
        if (flow.equals("cockroach")) {
            return new Backend("not reported by the service", "neither the order JSON nor /actuator/info names it");
        }
        return new Backend("devstack PostgreSQL clusters" + (flow.equals("orchestration") ? " + Temporal test server"
                : flow.equals("twopc") ? " (PREPARE TRANSACTION)" : " + Kafka broker"), "devstack topology");
    }

    private static String problemDetail(String body) {
        try {
            JsonNode n = ReportWriter.JSON.readTree(body);
            return n.hasNonNull("detail") ? n.get("detail").asString() : body;
        } catch (RuntimeException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }
}

package io.txlab.devstack.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain HTTP/1.1 calls against a service running on this machine, so API tests can send exactly the bytes a client
 * might: no header, broken JSON, a body with or without Content-Length. Shared by the services' API tests.
 */
public final class HttpCalls {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final Signer signer;

    /** Adds headers to a request from its method, path and body, e.g. the signature of an internal request. */
    @FunctionalInterface
    public interface Signer {
        Map<String, String> headers(String method, String path, byte[] body);
    }

    public HttpCalls(int port) {
        this(port, (method, path, body) -> Map.of());
    }

    /** Calls whose POSTs carry {@code signer}'s headers. */
    public HttpCalls(int port, Signer signer) {
        this.base = "http://127.0.0.1:" + port;
        this.signer = signer;
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** POST with a JSON body and, unless {@code idempotencyKey} is null, the Idempotency-Key header. */
    public Reply post(String path, String idempotencyKey, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        signer.headers("POST", path, body.getBytes(StandardCharsets.UTF_8)).forEach(request::header);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    /** POST whose body has no Content-Length (sent chunked), so only counting while reading can catch its size. */
    public Reply postChunked(String path, String idempotencyKey, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
        signer.headers("POST", path, bytes).forEach(request::header);
        return send(request);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP call failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Reply(int status, String contentType, String location, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public boolean isProblem() {
            return contentType.startsWith("application/problem+json");
        }
    }
}

package io.txlab.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.twopc.RequestSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A participant with {@code txlab.internal.port} serves the 2PC protocol on that port only, and its API on the API
 * port only (ADR 24), in a real Tomcat with both connectors.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, classes = InternalPortIT.App.class, properties = {
    "server.address=127.0.0.1", "txlab.internal.port=0", "txlab.internal.secret=" + InternalPortIT.SECRET})
class InternalPortIT {

    static final String SECRET = "internal-port-test-secret";
    private static final String COMMIT = "/twopc/txlab_1/commit";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int apiPort;

    @Autowired
    InternalPort internalPort;

    @Test
    void theProtocolAnswersOnItsOwnPortOnlyAndStillOnlyWhenSigned() throws Exception {
        assertThat(internalPort.localPort()).isPositive().isNotEqualTo(apiPort);

        HttpResponse<String> signed = post(internalPort.localPort(), COMMIT, new RequestSignature(SECRET).headers("POST", COMMIT, body()));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        assertThat(signed.body()).isEqualTo("committed txlab_1");

        HttpResponse<String> unsigned = post(internalPort.localPort(), COMMIT, Map.of());
        assertThat(unsigned.statusCode()).isEqualTo(401);

        HttpResponse<String> onTheApi = post(apiPort, COMMIT, new RequestSignature(SECRET).headers("POST", COMMIT, body()));
        assertThat(onTheApi.statusCode()).isEqualTo(404);
        assertThat(onTheApi.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(onTheApi.body()).contains("not served on this port");
    }

    @Test
    void theApiAnswersOnTheApiPortOnly() throws Exception {
        assertThat(get(apiPort, "/orders/42").body()).isEqualTo("order 42");

        HttpResponse<String> onTheInternalPort = get(internalPort.localPort(), "/orders/42");
        assertThat(onTheInternalPort.statusCode()).isEqualTo(404);
        assertThat(onTheInternalPort.body()).contains("serves only the 2PC participant protocol");
    }

    private HttpResponse<String> post(int port, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body()));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] body() {
        return "{}".getBytes(StandardCharsets.UTF_8);
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
        WebMvcAutoConfiguration.class, JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
        InternalPortAutoConfiguration.class, InternalAuthAutoConfiguration.class})
    @Import(Endpoints.class)
    static class App {
    }

    @RestController
    static class Endpoints {

        @PostMapping(COMMIT_MAPPING)
        String commit(@PathVariable String gid) {
            return "committed " + gid;
        }

        @GetMapping("/orders/{id}")
        String order(@PathVariable String id) {
            return "order " + id;
        }
    }

    private static final String COMMIT_MAPPING = "/twopc/{gid}/commit";
}

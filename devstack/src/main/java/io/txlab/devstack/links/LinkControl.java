package io.txlab.devstack.links;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A client of the link proxy's control API ({@link LinksServerMain}): list the links, apply and heal faults. */
public final class LinkControl {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    public LinkControl(int controlPort) {
        this.base = "http://127.0.0.1:" + controlPort + "/links";
    }

    /** Every link with its port, fault and connections. */
    public List<LinkProxy.Status> list() {
        return statuses(send("GET", base));
    }

    /** Whether the control API answers. */
    public boolean reachable() {
        try {
            list();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Applies {@code fault} to {@code from>to}; {@link Fault#NONE} heals it. */
    public LinkProxy.Status set(String from, String to, Fault fault) {
        String url = base + "/" + encode(from) + "/" + encode(to) + "?fault=" + fault.kind().name().toLowerCase(java.util.Locale.ROOT)
                + (fault.kind() == Fault.Kind.DELAY ? "&rttMs=" + fault.rttMs() : "");
        return JSON.treeToValue(send("POST", url), LinkProxy.Status.class);
    }

    /** Every link back to {@link Fault#NONE}. */
    public List<LinkProxy.Status> healAll() {
        return statuses(send("POST", base + "/heal"));
    }

    private static List<LinkProxy.Status> statuses(JsonNode body) {
        List<LinkProxy.Status> out = new ArrayList<>();
        body.path("links").forEach(n -> out.add(JSON.treeToValue(n, LinkProxy.Status.class)));
        return out;
    }

    private JsonNode send(String method, String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the link proxy does not answer on " + base
                    + " — start the stack with ./txlab up --links (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException(body.path("detail").asString(response.body()));
        }
        return body;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

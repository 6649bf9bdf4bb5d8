package io.txlab.loadtests.endpoints;

import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

import java.util.ArrayList;
import java.util.List;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The two order-service calls of one order: the POST, which asks to be answered once the order is final
 * ({@code Prefer: wait=n}, RFC 7240; adr/0048), and the long-poll GET only while the order the POST answered is
 * not final yet (the wait elapsed) — what any client that wants the outcome does, so an order is timed by one round
 * trip, as the independent client times it. Every check that saves something comes before the checks that
 * judge, because Gatling stops evaluating a request's checks at the first failure; both calls save the order's
 * fields ({@link #checks}), so the later answer wins.
 */
public final class OrderEndpoints {

    public static final String POST_ORDER = "POST /orders";
    public static final String AWAIT_FINAL = "GET /orders/{id}?waitForFinal";

    private OrderEndpoints() {
    }

    /**
     * One connection pool shared by all virtual users: an open model starts a new user per order, and a pool per
     * user would measure TCP handshakes instead of the flow. Warm-up off (its default target is on the internet).
     */
    public static HttpProtocolBuilder protocol(String baseUrl) {
        return http.baseUrl(baseUrl)
                .acceptHeader("application/json")
                .contentTypeHeader("application/json")
                .shareConnections()
                .disableWarmUp();
    }

    /**
     * @param traceparentAttribute the session attribute holding the order's W3C {@code traceparent} to send, or null
     *                             to send none (the run then starts no traces itself)
     * @param waitSeconds          how long order-service may hold the answer until the order is final
     */
    public static HttpRequestActionBuilder placeOrder(String traceparentAttribute, int waitSeconds) {
        HttpRequestActionBuilder post = http(POST_ORDER).post("/orders")
                .header("Idempotency-Key", "#{idempotencyKey}")
                .header("Prefer", "wait=" + waitSeconds);
        if (traceparentAttribute != null) {
            post = post.header("traceparent", "#{" + traceparentAttribute + "}");
        }
        return post
                .body(StringBody("#{body}"))
                .check(checks(
                        List.of(status().saveAs("postStatus"), bodyString().saveAs("postBody"),
                                jsonPath("$.id").optional().saveAs("orderId")),
                        status().in(200, 201)));
    }

    public static HttpRequestActionBuilder awaitFinal(int waitSeconds) {
        return http(AWAIT_FINAL).get("/orders/#{orderId}")
                .queryParam("waitForFinal", waitSeconds + "s")
                .check(checks(
                        List.of(status().saveAs("getStatus")),
                        status().is(200), jsonPath("$.status").in("CONFIRMED", "CANCELLED")));
    }

    /** A call's own saves, then the order's fields every answer saves (same names for both calls), then the judges. */
    private static List<CheckBuilder> checks(List<CheckBuilder> saves, CheckBuilder... judges) {
        List<CheckBuilder> all = new ArrayList<>(saves);
        all.addAll(List.of(
                jsonPath("$.status").optional().saveAs("finalStatus"),
                jsonPath("$.reason").optional().saveAs("reason"),
                jsonPath("$.createdAt").optional().saveAs("createdAt"),
                jsonPath("$.completedAt").optional().saveAs("completedAt"),
                jsonPath("$.backend").optional().saveAs("backend")));
        all.addAll(List.of(judges));
        return all;
    }
}

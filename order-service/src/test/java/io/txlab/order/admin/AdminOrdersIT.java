package io.txlab.order.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import io.txlab.contracts.RejectionReason;
import io.txlab.contracts.order.OrderLine;
import io.txlab.order.OrderServiceTestContext;
import io.txlab.order.order.Order;
import io.txlab.order.order.OrderRepository;
import io.txlab.order.order.OrderStatus;
import io.txlab.order.saga.SagaCompensations;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's view: the stuck-order API, and the page over it as a person sees it, rendered by headless Chromium
 * (Debian's {@code chromium}; {@code .ci/run} installs it).
 */
class AdminOrdersIT extends OrderServiceTestContext {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;
    @Autowired
    OrderRepository repository;
    @Autowired
    SagaCompensations compensations;

    private Order stuck;
    private Order fresh;
    private Order oldButConfirmed;

    @BeforeEach
    void orders() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        stuck = insert(Flow.CHOREOGRAPHY, OrderStatus.PENDING, now.minusSeconds(600));
        fresh = insert(Flow.TWOPC, OrderStatus.PENDING, now);
        oldButConfirmed = insert(Flow.OUTBOX, OrderStatus.CONFIRMED, now.minusSeconds(600));
    }

    private Order insert(Flow flow, OrderStatus status, Instant createdAt) {
        Order order = new Order(UUID.randomUUID(), "C-0001", flow, status, null, new BigDecimal("25.00"),
                List.of(new OrderLine("SKU-0001", 2, new BigDecimal("12.50"))), createdAt,
                status == OrderStatus.PENDING ? null : createdAt.plusSeconds(1));
        repository.insert(order, "admin-it-" + order.id());
        return order;
    }

    @Test
    void listsThePendingOrdersOlderThanAskedOfEveryFlowWithTheirSteps() throws Exception {
        JsonNode listing = get("/admin/orders?status=PENDING&olderThan=5m&limit=500", 200);

        List<String> ids = new ArrayList<>();
        listing.get("orders").forEach(o -> ids.add(o.get("id").asString()));
        assertThat(ids).contains(stuck.id().toString())
                .doesNotContain(fresh.id().toString(), oldButConfirmed.id().toString());
        JsonNode entry = null;
        for (JsonNode o : listing.get("orders")) {
            if (o.get("id").asString().equals(stuck.id().toString())) {
                entry = o;
            }
        }
        assertThat(entry.get("flow").asString()).isEqualTo("choreography");
        assertThat(entry.get("ageSeconds").asDouble()).isGreaterThanOrEqualTo(600);
        assertThat(entry.get("steps").get("orderId").asString()).isEqualTo(stuck.id().toString());
        assertThat(listing.get("olderThan").asString()).isEqualTo("PT5M");

        JsonNode summary = get("/admin/orders/summary?olderThan=5m", 200);
        assertThat(flowRow(summary, "choreography").get("stuck").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(flowRow(summary, "twopc").get("pending").asLong())
                .isGreaterThan(flowRow(summary, "twopc").get("stuck").asLong());
    }

    @Test
    void anOperatorMarksAStuckOrderResolvedOnceAndItLeavesTheStuckListAndCounts() throws Exception {
        long stuckBefore = flowRow(get("/admin/orders/summary?olderThan=5m", 200), "choreography").get("stuck").asLong();
        long resolvedBefore = flowRow(get("/admin/orders/summary?olderThan=5m", 200), "choreography").get("resolved").asLong();

        HttpResponse<String> first = post("/admin/orders/" + stuck.id() + "/resolve",
                "{\"operator\":\"ana\",\"reason\":\"refunded by hand, ticket OPS-42\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        JsonNode action = JSON.readTree(first.body());
        assertThat(action.get("firstTime").asBoolean()).isTrue();
        assertThat(action.get("action").get("operator").asString()).isEqualTo("ana");
        String takenAt = action.get("action").get("takenAt").asString();

        // a second operator, or the same one clicking again: nothing changes, the first record is the answer
        HttpResponse<String> again = post("/admin/orders/" + stuck.id() + "/resolve",
                "{\"operator\":\"bo\",\"reason\":\"looks stuck\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode repeated = JSON.readTree(again.body());
        assertThat(repeated.get("firstTime").asBoolean()).isFalse();
        assertThat(repeated.get("action").get("operator").asString()).isEqualTo("ana");
        assertThat(repeated.get("action").get("reason").asString()).isEqualTo("refunded by hand, ticket OPS-42");
        assertThat(repeated.get("action").get("takenAt").asString()).isEqualTo(takenAt);

        assertThat(ids(get("/admin/orders?status=PENDING&olderThan=5m&limit=500", 200)))
                .doesNotContain(stuck.id().toString());
        JsonNode withResolved = get("/admin/orders?status=PENDING&olderThan=5m&limit=500&withResolved=true", 200);
        assertThat(ids(withResolved)).contains(stuck.id().toString());
        for (JsonNode o : withResolved.get("orders")) {
            if (o.get("id").asString().equals(stuck.id().toString())) {
                assertThat(o.get("resolution").get("operator").asString()).isEqualTo("ana");
            }
        }
        JsonNode row = flowRow(get("/admin/orders/summary?olderThan=5m", 200), "choreography");
        assertThat(row.get("stuck").asLong()).isEqualTo(stuckBefore - 1);
        assertThat(row.get("resolved").asLong()).isEqualTo(resolvedBefore + 1);
        assertThat(repository.find(stuck.id()).orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
    }

    @Test
    void anActionThatCannotApplyGetsAProblemAndRecordsNothing() throws Exception {
        String body = "{\"operator\":\"ana\",\"reason\":\"r\"}";
        assertProblem(post("/admin/orders/" + oldButConfirmed.id() + "/resolve", body), 409, "order-not-pending");
        assertProblem(post("/admin/orders/" + UUID.randomUUID() + "/resolve", body), 404, "order-not-found");
        assertProblem(post("/admin/orders/" + stuck.id() + "/resolve", "{\"operator\":\"ana\"}"), 400,
                "invalid-admin-action");
        assertProblem(post("/admin/orders/" + stuck.id() + "/resolve", "{\"operator\":\" \",\"reason\":\"r\"}"), 400,
                "invalid-admin-action");
        assertThat(post("/admin/orders/" + stuck.id() + "/resolve", "{not json").statusCode()).isEqualTo(400);
        assertThat(ids(get("/admin/orders?status=PENDING&olderThan=5m&limit=500", 200))).contains(stuck.id().toString());
    }

    @Test
    void anOperatorCompensatesAStuckSagaOrderInTheSagasOrderAndOnlyOnce() throws Exception {
        String id = stuck.id().toString();
        HttpResponse<String> first = post("/admin/orders/" + id + "/compensate",
                "{\"operator\":\"ana\",\"reason\":\"payment-service lost the event, OPS-43\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(JSON.readTree(first.body()).get("action").get("action").asString()).isEqualTo("COMPENSATE");

        // the participants' manual compensations, each once, with a key of the order's own
        assertThat(REFERENCES.posts("/reservations/" + id + "/release")).containsExactly("operator-release-" + id);
        assertThat(REFERENCES.posts("/payments/" + id + "/refund")).containsExactly("operator-refund-" + id);
        Order cancelled = repository.find(stuck.id()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo("OPERATOR_COMPENSATED");

        HttpResponse<String> again = post("/admin/orders/" + id + "/compensate",
                "{\"operator\":\"bo\",\"reason\":\"again\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("firstTime").asBoolean()).isFalse();
        assertThat(JSON.readTree(again.body()).get("action").get("operator").asString()).isEqualTo("ana");
        assertThat(REFERENCES.posts("/reservations/" + id + "/release")).hasSize(1);
        assertThat(REFERENCES.posts("/payments/" + id + "/refund")).hasSize(1);
    }

    @Test
    void aCompensationCutShortByADownParticipantCancelsTheOrderAtOnceAndIsFinishedLater() throws Exception {
        String id = stuck.id().toString();
        String body = "{\"operator\":\"ana\",\"reason\":\"OPS-44\"}";
        REFERENCES.down(true);
        try {
            HttpResponse<String> cut = post("/admin/orders/" + id + "/compensate", body);
            assertThat(cut.statusCode()).as(cut.body()).isEqualTo(202);
            JsonNode open = JSON.readTree(cut.body()).get("compensation");
            assertThat(open.get("cause").asString()).isEqualTo("OPERATOR_COMPENSATED");
            assertThat(open.get("refundedAt").isNull()).isTrue();
            assertThat(open.get("releasedAt").isNull()).isTrue();
            assertThat(open.get("lastError").asString()).contains("payment-service");
            // cancelled first: a late step of the flow can no longer confirm it
            Order cancelled = repository.find(stuck.id()).orElseThrow();
            assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
            assertThat(cancelled.reason()).isEqualTo("OPERATOR_COMPENSATED");
            assertThat(REFERENCES.posts("/payments/" + id + "/refund")).isEmpty();
            // the operator sees it among the open compensations
            List<String> listed = new ArrayList<>();
            get("/admin/compensations", 200).get("compensations").forEach(o -> listed.add(o.get("orderId").asString()));
            assertThat(listed).contains(id);
        } finally {
            REFERENCES.down(false);
        }

        // a repeat (or the retries in the background, whichever comes first) finishes it, each call once
        HttpResponse<String> resumed = post("/admin/orders/" + id + "/compensate", body);
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        JsonNode done = JSON.readTree(resumed.body()).get("compensation");
        assertThat(done.get("refundedAt").isNull()).isFalse();
        assertThat(done.get("releasedAt").isNull()).isFalse();
        assertThat(REFERENCES.posts("/payments/" + id + "/refund")).containsExactly("operator-refund-" + id);
        assertThat(REFERENCES.posts("/reservations/" + id + "/release")).containsExactly("operator-release-" + id);
    }

    @Test
    void aTwopcOrderIsLeftToItsCoordinator() throws Exception {
        Order twopc = insert(Flow.TWOPC, OrderStatus.PENDING, Instant.now().minusSeconds(600));
        assertProblem(post("/admin/orders/" + twopc.id() + "/compensate", "{\"operator\":\"ana\",\"reason\":\"r\"}"),
                409, "flow-decides");
        assertThat(REFERENCES.posts("/payments/" + twopc.id() + "/refund")).isEmpty();
        assertThat(repository.find(twopc.id()).orElseThrow().status()).isEqualTo(OrderStatus.PENDING);
        assertProblem(post("/admin/orders/" + oldButConfirmed.id() + "/compensate",
                "{\"operator\":\"ana\",\"reason\":\"r\"}"), 409, "order-not-pending");
    }

    private static void assertProblem(HttpResponse<String> response, int status, String type) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("type").asString()).endsWith("/" + type);
    }

    private static List<String> ids(JsonNode listing) {
        List<String> ids = new ArrayList<>();
        listing.get("orders").forEach(o -> ids.add(o.get("id").asString()));
        return ids;
    }

    @Test
    void badQueriesGetAProblemNotAList() throws Exception {
        for (String query : List.of("status=LOST", "olderThan=-5s", "olderThan=banana", "limit=0", "limit=501")) {
            HttpResponse<String> response = send("/admin/orders?" + query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(query)
                    .startsWith("application/problem+json");
        }
    }

    @Test
    void thePageShowsTheStuckOrderAndThePerFlowCountsInABrowser() throws Exception {
        long stuckChoreography = flowRow(get("/admin/orders/summary?olderThan=5m", 200), "choreography").get("stuck").asLong();

        // a saga order cancelled at its deadline whose participants do not answer: its compensation stays open
        Order expired = insert(Flow.OUTBOX, OrderStatus.CANCELLED, Instant.now().minusSeconds(60));
        String dom;
        REFERENCES.down(true);
        try {
            compensations.open(expired.id(), RejectionReason.DEADLINE_EXCEEDED, Instant.now());
            compensations.compensate(expired.id());
            dom = renderedDom("http://127.0.0.1:" + port + "/admin/?olderThan=5m");
        } finally {
            REFERENCES.down(false);
        }
        Matcher open = Pattern.compile("<tr><td class=\"id\">" + expired.id() + "</td>(.*?)</tr>", Pattern.DOTALL)
                .matcher(dom);
        assertThat(open.find()).as(dom).isTrue();
        assertThat(open.group(1)).contains("<td>DEADLINE_EXCEEDED</td>", "<td>not yet</td>", "payment-service");

        assertThat(dom).contains("data-loaded=\"true\"", "<p id=\"error\" hidden=\"\"></p>");
        assertThat(dom).contains("data-order=\"" + stuck.id() + "\"")
                .doesNotContain(fresh.id().toString()).doesNotContain(oldButConfirmed.id().toString());
        Matcher row = Pattern.compile("<tr data-flow=\"choreography\">(.*?)</tr>", Pattern.DOTALL).matcher(dom);
        assertThat(row.find()).as(dom).isTrue();
        Matcher count = Pattern.compile("<td class=\"num stuck bad\">(\\d+)</td>").matcher(row.group(1));
        assertThat(count.find()).as(row.group(1)).isTrue();
        assertThat(Long.parseLong(count.group(1))).isEqualTo(stuckChoreography);
        assertThat(dom).contains("PENDING longer than 5m");
        // this service takes operator actions (the test context enables them): the form and a button per stuck order
        assertThat(dom).contains("<form id=\"actions\">");
        Matcher stuckRow = Pattern.compile("<tr data-order=\"" + stuck.id() + "\">(.*?)</tr>", Pattern.DOTALL).matcher(dom);
        assertThat(stuckRow.find()).as(dom).isTrue();
        assertThat(stuckRow.group(1)).contains("<button type=\"button\" class=\"compensate\">compensate</button>",
                "<button type=\"button\" class=\"resolve\">mark resolved</button>");
        assertThat(dom).contains("<td class=\"num resolved\">");
    }

    /** The DOM after the page's scripts ran, as headless Chromium renders it. */
    private static String renderedDom(String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("txlab-chromium");
        Process chromium = new ProcessBuilder(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + profile, "--virtual-time-budget=8000", "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = chromium.getInputStream().readAllBytes();
        if (!chromium.waitFor(60, TimeUnit.SECONDS)) {
            chromium.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        throw new AssertionError("no chromium on PATH: install Debian's chromium package (.ci/run does)");
    }

    private static JsonNode flowRow(JsonNode summary, String flow) {
        for (JsonNode f : summary.get("flows")) {
            if (f.get("flow").asString().equals(flow)) {
                return f;
            }
        }
        throw new AssertionError("no row for " + flow + " in " + summary);
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}

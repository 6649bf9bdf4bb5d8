package io.txlab.loadtests.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    @TempDir
    Path dir;

    static Results.Comparison fixture() {
        Results.Percentiles floorP = new Results.Percentiles(1.0, 2.0, 3.0, 4.0);
        Results.RunStats floorRun = new Results.RunStats("f-1", 50, 5, 250, 212, 38, 0, 0, 50, floorP, 5, 1.2, true, null,
                "samples/f-1.csv", null);
        Results.Latency floorLatency = new Results.Latency(50, 5, List.of(floorRun, floorRun, floorRun), floorP,
                new Results.Percentiles(0.1, 0.1, 0.2, 0.3));
        Results.Percentiles chorP = new Results.Percentiles(12.0, 30.0, 70.0, 90.0);
        Results.RunStats chorRun = new Results.RunStats("c-1", 50, 5, 250, 212, 38, 0, 0, 50, chorP, 95, 15, true,
                "gatling/ordersimulation-1", "samples/c-1.csv", "samples/c-1.hgrm");
        Results.Latency chorLatency = new Results.Latency(50, 5, List.of(chorRun, chorRun, chorRun), chorP,
                new Results.Percentiles(0.05, 0.1, 0.15, 0.2));
        Results.Throughput tp = new Results.Throughput(1000, 1, List.of(
                new Results.Step(100, true, "p99 80 ms, 0.0 % bad", chorRun),
                new Results.Step(200, false, "p99 1500 ms > SLO 1000 ms", chorRun)), 100.0, "broke at 200/s: p99 1500 ms > SLO 1000 ms");
        Results.Audit chaosAudit = new Results.Audit("shared chaos", "VIOLATIONS", "900 orders checked",
                List.of(new Results.Check("every-order-final", "choreography", "FAIL", 2, List.of("stuck-order-1", "stuck-order-2"), null)),
                Map.of("choreography", 2L));
        Results.Chaos chaos = new Results.Chaos("shared", "order-service", null, List.of("choreography", "outbox"), 50, 15, 4.1,
                6.1, 19.5, 12, 21.0, 5.6, 17.0, 0, List.of(), 30,
                List.of(new Results.TimelinePoint(0, 50, 0, 40.0), new Results.TimelinePoint(4, 50, 10, 9000.0),
                        new Results.TimelinePoint(5, 50, 50, null), new Results.TimelinePoint(14, 50, 0, 45.0)),
                chorRun, chaosAudit, null);
        Results.Chaos crash = new Results.Chaos("crash-point", "payment-service", "choreography.after-commit-before-publish",
                List.of("choreography"), 50, 20, 0.4, 2.4, 14.0, 3, null, null, null, 1, List.of("lost-event-order"), 30,
                List.of(new Results.TimelinePoint(0, 50, 1, 40.0)), chorRun, null, null);
        Results.Audit audit = new Results.Audit("choreography", "VIOLATIONS", "750 orders checked",
                List.of(new Results.Check("cancelled-not-charged", "choreography", "FAIL", 1, List.of("0b9e-order-id payment=AUTHORIZED"), null),
                        new Results.Check("cockroach-ledger", "cockroach", "SKIPPED", 0, List.of(), "not available")),
                Map.of("choreography", 1L));
        Results.Tracing tracing = new Results.Tracing(150, 150, new Results.Percentiles(13.0, 31.0, 72.0, 90.0),
                new Results.Percentiles(12.0, 30.0, 70.0, 90.0), 8.3, 2.9,
                List.of(new Results.TraceLink("slow-order-id", "4bf92f3577b34da6a3ce929d0e0e4736", 95.0, 41,
                        "http://127.0.0.1:9411/zipkin/traces/4bf92f3577b34da6a3ce929d0e0e4736",
                        "traces/choreography-4bf92f3577b34da6a3ce929d0e0e4736.json")), "saved");
        Results.FlowResult chor = new Results.FlowResult("choreography", "MEASURED", "probe ok", "devstack PostgreSQL clusters + Kafka broker",
                "devstack topology", chorLatency, tp, chaos, crash, tracing, audit, new Results.Ratio(12.0, 23.3));
        Results.FlowResult cockroach = Results.FlowResult.notMeasured("cockroach", "MISSING",
                "order-service answers 422: flow 'cockroach' is not implemented in this build");
        return new Results.Comparison("2026-11-21T07:00:00Z", "quick", 123.4, new Results.Machine(2, 23.4, "Some CPU", "Linux", "17"),
                Map.of("Gatling", "3.15.1"), new Results.Settings(15, 25, 20, 5, 3, 3, List.of(100.0, 200.0), 3, 1000, 1,
                "shared", 50, 15, 4, 2, 30, true, 20, "85,10,5", 42, 10, "ab", "http://127.0.0.1:9411",
                "http://127.0.0.1:8081", Map.of("order-service/application.yml: poll-interval", "10ms")),
                new Results.Floor("MEASURED", "one local PostgreSQL transaction", "jdbc:postgresql://127.0.0.1:15435/txlab_floor", floorLatency),
                List.of(chor, cockroach), audit, Targets.ALL, List.of("a note"));
    }

    @Test
    void writesJsonThatParsesBackAndCarriesTheNumbers() throws Exception {
        ReportWriter.write(fixture(), dir);

        JsonNode json = ReportWriter.JSON.readTree(Files.readString(dir.resolve("results.json")));
        assertThat(json.path("flows").get(0).path("latency").path("median").path("p99").asDouble()).isEqualTo(70.0);
        assertThat(json.path("flows").get(1).path("status").asString()).isEqualTo("MISSING");
        assertThat(json.path("targets")).hasSize(5);
        Results.Comparison back = ReportWriter.JSON.readValue(Files.readString(dir.resolve("results.json")), Results.Comparison.class);
        assertThat(back.flows().get(0).chaos().allFinalAfterRestartSeconds()).isEqualTo(5.6);
    }

    @Test
    void htmlIsSelfContainedWithChartsKillMarkerAuditAndGatlingLinks() throws Exception {
        ReportWriter.write(fixture(), dir);

        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("<svg", "kill 4.1s", "healthy 19.5s", "cancelled-not-charged", "0b9e-order-id",
                "href='gatling/ordersimulation-1/index.html'", "MISSING");
        assertThat(html).contains("SIGKILL order-service (shared run, all flows)",
                "crash point choreography.after-commit-before-publish in payment-service", "lost-event-order",
                "shared chaos", "stuck-order-1", "href='traces/choreography-4bf92f3577b34da6a3ce929d0e0e4736.json'");
        assertThat(html).doesNotContain("<script", "http://cdn", "https://");
        assertThat(html).doesNotContain("CockroachDB");
    }

    @Test
    void targetsAreShownNextToMeasuredValuesAndMissesAreMarked() {
        String md = ReportWriter.markdown(fixture());

        assertThat(md).contains("✓ 12.0 (≤ 15.0)");          // choreography p50 meets 15 ms
        assertThat(md).contains("✗ 70.0 (≤ 60.0)");          // p99 misses 60 ms
        assertThat(md).contains("✗ 100 (≥ 400)");            // max throughput misses 400/s
        assertThat(md).contains("✓ 5.60 s");                 // all final 5.6 s after the restart
        assertThat(md).contains("| cockroach | MISSING |");
        assertThat(md).contains("cancelled-not-charged");
        assertThat(md).contains("✗ +8.3 %");                 // tracing p50 overhead misses 5 %
        assertThat(md).contains("✗ not all final");          // the crash point left orders unfinished
        assertThat(md).contains("not within the run (load went on 6.00 s past the restart)");
        assertThat(md).contains("- stack warm-up (discarded): 15.0 s at 25.0 orders/s");
    }

    @Test
    void consoleTableListsEveryFlowAndTheFloor() {
        String table = ReportWriter.consoleTable(fixture());

        assertThat(table).contains("floor (1 local PG tx)", "choreography", "cockroach", "MISSING", "12.0 / 23.3");
    }
}

package io.txlab.systemtests.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard of {@code k8s/components/observability} queries only the series documented in the metric
 * table of {@code order-service/README.md} ("Observability"), and has one row per flow showing the order metrics of
 * that flow. Which series the services really register under those names is checked on the service side
 * ({@code OrderMetricsDocumentedIT} in order-service).
 */
class GrafanaDashboardTest {

    private static final List<String> FLOWS = List.of("choreography", "outbox", "orchestration", "twopc", "cockroach");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `txlab\\.[a-z_.]+` \\| (.+?) \\|");
    private static final Pattern SERIES = Pattern.compile("txlab_[a-z_]+");

    @Test
    void everySeriesTheDashboardQueriesIsDocumented() throws IOException {
        Path repo = repositoryRoot();
        Set<String> documented = documentedSeries(repo.resolve("order-service/README.md"));
        assertThat(documented).as("series in the README's metric table").contains("txlab_orders_started_total");

        Set<String> queried = new TreeSet<>();
        for (String expr : rows(repo).values().stream().flatMap(List::stream).toList()) {
            Matcher series = SERIES.matcher(expr);
            while (series.find()) {
                queried.add(series.group());
            }
        }

        assertThat(queried).isNotEmpty();
        assertThat(documented).containsAll(queried);
    }

    @Test
    void eachFlowHasARowWithItsOrderMetrics() throws IOException {
        Map<String, List<String>> rows = rows(repositoryRoot());

        assertThat(rows.keySet()).containsExactlyElementsOf(FLOWS.stream().map(flow -> "Flow " + flow).toList());
        for (String flow : FLOWS) {
            String queries = String.join("\n", rows.get("Flow " + flow));
            String selector = "{flow=\"" + flow + "\"}";
            assertThat(queries).as("row of flow %s", flow).contains(
                    "txlab_orders_started_total" + selector,
                    "txlab_orders_finished_total" + selector,
                    "txlab_orders_time_to_final_seconds_bucket" + selector,
                    "txlab_orders_not_final" + selector);
        }
    }

    @Test
    void theAllOverlayDeploysTheComponent() throws IOException {
        String overlay = Files.readString(repositoryRoot().resolve("k8s/overlays/all/kustomization.yaml"));
        assertThat(overlay).contains("../../components/observability");
    }

    /** Row title to the queries of the panels below it, in dashboard order. */
    private static Map<String, List<String>> rows(Path repo) throws IOException {
        JsonNode dashboard = JsonMapper.shared().readTree(
                repo.resolve("k8s/components/observability/grafana-dashboard.json").toFile());
        Map<String, List<String>> rows = new LinkedHashMap<>();
        List<String> current = null;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asString().equals("row")) {
                current = new ArrayList<>();
                rows.put(panel.path("title").asString(), current);
                continue;
            }
            assertThat(current).as("panel '%s' sits in a row", panel.path("title").asString()).isNotNull();
            for (JsonNode target : panel.path("targets")) {
                current.add(target.path("expr").asString());
            }
        }
        return rows;
    }

    private static Set<String> documentedSeries(Path readme) throws IOException {
        Set<String> series = new TreeSet<>();
        for (String line : Files.readAllLines(readme)) {
            Matcher row = TABLE_ROW.matcher(line.strip());
            if (row.find()) {
                Matcher name = SERIES.matcher(row.group(1));
                while (name.find()) {
                    series.add(name.group());
                }
            }
        }
        return series;
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s/overlays")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new AssertionError("no k8s/overlays above " + Path.of("").toAbsolutePath());
    }
}

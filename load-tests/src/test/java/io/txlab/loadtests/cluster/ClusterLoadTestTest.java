package io.txlab.loadtests.cluster;

import io.txlab.loadtests.report.ReportWriter;
import io.txlab.loadtests.support.OrderServiceStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster's load generator against a loopback stub of order-service, started exactly as the load-test Job starts
 * it: the image's main class is this command (Jib's mainClass in this module's pom), and its arguments are the Job's,
 * with the ConfigMap variables filled in.
 */
class ClusterLoadTestTest {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Z_]+)\\)");

    @TempDir
    Path dir;

    @Test
    void theImageRunsThisCommand() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher jib = Pattern.compile("<artifactId>jib-maven-plugin</artifactId>.*?<mainClass>([^<]+)</mainClass>",
                Pattern.DOTALL).matcher(pom);
        assertThat(jib.find()).as("load-tests/pom.xml sets the image's main class").isTrue();
        assertThat(jib.group(1)).isEqualTo(ClusterLoadTest.class.getName());
        assertThat(pom).as("Gatling needs java.lang opened in the image too")
                .contains("<jvmFlag>--add-opens=java.base/java.lang=ALL-UNNAMED</jvmFlag>");
    }

    @Test
    void theJobsArgumentsDriveEveryFlowAndPrintOneResultLinePerFlow() throws Exception {
        Path manifest = Path.of("..", "k8s", "components", "loadtest", "loadtest.yaml");
        String yaml = Files.readString(manifest);
        List<String> args = jobArguments(yaml);
        Map<String, String> configMap = configMapData(yaml);

        try (OrderServiceStub stub = new OrderServiceStub(10, "none")) {
            assertThat(configMap).containsKeys("TXLAB_LOADTEST_RATE", "TXLAB_LOADTEST_SECONDS", "TXLAB_LOADTEST_LABEL",
                    "TXLAB_ORDER_SERVICE_URL");
            Map<String, String> values = new LinkedHashMap<>(configMap);
            // test values in place of the manifest's (a 2 s run against the stub)
            values.put("TXLAB_FLOWS_ENABLED", "twopc,outbox");  // from the overlay's txlab-flows ConfigMap
            values.put("TXLAB_LOADTEST_RATE", "20");
            values.put("TXLAB_LOADTEST_SECONDS", "2");
            values.put("TXLAB_LOADTEST_LABEL", "rtt-10ms");
            values.put("TXLAB_ORDER_SERVICE_URL", stub.baseUrl());
            List<String> resolved = new ArrayList<>();
            for (String arg : args) {
                Matcher m = VARIABLE.matcher(arg);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    assertThat(values).as("the Job's %s names a variable its ConfigMaps define", arg).containsKey(m.group(1));
                    m.appendReplacement(sb, Matcher.quoteReplacement(values.get(m.group(1))));
                }
                m.appendTail(sb);
                resolved.add(sb.toString().startsWith("--out=") ? "--out=" + dir : sb.toString());
            }
            assertThat(resolved).as("the Job writes where its volume is").contains("--out=" + dir);

            Output out = run(resolved.toArray(String[]::new));

            assertThat(out.exit()).as(out.text()).isZero();
            List<String> results = out.lines(ClusterLoadTest.RESULT_TAG + " ");
            assertThat(results).hasSize(2);
            assertThat(results.get(0)).startsWith("TXLAB-RESULT label=rtt-10ms flow=twopc orders=20 final=20 ");
            assertThat(results.get(1)).startsWith("TXLAB-RESULT label=rtt-10ms flow=outbox orders=20 final=20 ");
            for (String line : results) {
                assertThat(keyedValue(line, "p50Ms")).as(line).isGreaterThanOrEqualTo(10.0);
                assertThat(keyedValue(line, "p99Ms")).as(line).isGreaterThanOrEqualTo(keyedValue(line, "p50Ms"));
                assertThat(line).as("no value has a space: the sweep splits on them").matches("TXLAB-RESULT( [A-Za-z0-9]+=\\S+)+");
            }
            List<String> json = out.lines(ClusterLoadTest.JSON_TAG + " ");
            assertThat(json).hasSize(2);
            ClusterLoadTest.FlowResult twopc = ReportWriter.JSON.readValue(
                    json.get(0).substring(ClusterLoadTest.JSON_TAG.length() + 1), ClusterLoadTest.FlowResult.class);
            assertThat(twopc.flow()).isEqualTo("twopc");
            assertThat(twopc.stats().orders()).isEqualTo(20);
            assertThat(twopc.stats().confirmed() + twopc.stats().cancelled()).isEqualTo(20);
            assertThat(twopc.stats().rate()).as("each flow's share of the rate").isEqualTo(10.0);
            try (var files = Files.list(dir.resolve("gatling"))) {
                assertThat(files.filter(Files::isDirectory).anyMatch(d -> Files.exists(d.resolve("index.html"))))
                        .as("Gatling's HTML report in the Job's volume").isTrue();
            }
        }
    }

    @Test
    void theResultLineHasTheColumnsTheSweepWritesInTheirOrder() throws Exception {
        String script = Files.readString(Path.of("..", "k8s", "chaos", "rtt-sweep.sh"));
        Matcher header = Pattern.compile("printf 'rttMs\\\\t([^']+)\\\\n'").matcher(script);
        assertThat(header.find()).as("rtt-sweep.sh writes a TSV header").isTrue();
        try (OrderServiceStub stub = new OrderServiceStub(0, "none")) {
            Output out = run("--flows=cockroach", "--rate=10", "--seconds=1", "--base-url=" + stub.baseUrl(),
                    "--label=x", "--out=" + dir, "--no-html");
            String line = out.lines(ClusterLoadTest.RESULT_TAG + " ").get(0);
            List<String> keys = Arrays.stream(line.split(" ")).skip(1).map(kv -> kv.substring(0, kv.indexOf('='))).toList();
            assertThat(String.join("\\t", keys)).isEqualTo(header.group(1));
        }
    }

    @Test
    void aFlowThatFinishesNoOrderFailsTheRunAndSaysWhere() throws Exception {
        try (OrderServiceStub stub = new OrderServiceStub(5, "twopc")) {
            Output out = run("--flows=twopc,outbox", "--rate=20", "--seconds=1", "--base-url=" + stub.baseUrl(),
                    "--out=" + dir, "--no-html");

            assertThat(out.exit()).isEqualTo(1);
            assertThat(out.lines("TXLAB-RESULT label=cluster flow=twopc ")).singleElement().asString().contains(" final=0 ");
            assertThat(out.text()).contains("1 of 2 flows finished no order: is the flow deployed, and order-service reachable at "
                    + stub.baseUrl() + "?");
        }
    }

    @Test
    void optionsThatCannotMakeARunAreRefused() {
        Output out = run("--flows=twopc", "--rate=0", "--out=" + dir);
        assertThat(out.exit()).isEqualTo(2);
        assertThat(out.text()).contains("--rate, --seconds and --wait-for-final must be positive");
        assertThat(run("--rate=5").exit()).as("--flows is required").isEqualTo(2);
    }

    private record Output(int exit, String text) {
        List<String> lines(String prefix) {
            return text.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    private static Output run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream err = System.err;
        System.setErr(console);
        try {
            int exit = ClusterLoadTest.run(console, args);
            return new Output(exit, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(err);
        }
    }

    private static double keyedValue(String line, String key) {
        Matcher m = Pattern.compile(" " + key + "=([0-9.]+)").matcher(line);
        assertThat(m.find()).as("%s in %s", key, line).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The {@code - --option=…} items of the Job's container {@code args:}. */
    private static List<String> jobArguments(String yaml) {
        List<String> args = new ArrayList<>();
        boolean inArgs = false;
        for (String line : yaml.split("\n")) {
            if (line.strip().equals("args:")) {
                inArgs = true;
            } else if (inArgs && line.strip().startsWith("- ")) {
                args.add(line.strip().substring(2));
            } else if (inArgs) {
                break;
            }
        }
        assertThat(args).as("the load-test Job passes its settings as arguments").isNotEmpty();
        return args;
    }

    /** {@code KEY: "value"} lines of the ConfigMap at the top of the manifest. */
    private static Map<String, String> configMapData(String yaml) {
        Map<String, String> data = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^  (TXLAB_[A-Z_]+): \"([^\"]*)\"$").matcher(yaml.substring(0, yaml.indexOf("\n---")));
        while (m.find()) {
            data.put(m.group(1), m.group(2));
        }
        return data;
    }
}

package io.txlab.systemtests.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code k8s/chaos/rtt-sweep.sh} without a cluster (none is at hand on these machines): a stand-in {@code kubectl}
 * records every call and answers the few the script reads (the Job's status, its log). What is checked is the script's
 * own logic: the delay is in place (half the round trip, injected) before the load test starts, each step runs a fresh
 * Job with its own label, the results land in the TSV, and the delay is removed at the end whatever happened. Whether
 * Chaos Mesh and the Job behave as assumed can only be seen on a cluster; k8s/README.md says so.
 */
class RttSweepScriptTest {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** Records each call; answers get job (succeeded, or failed for $FAKE_FAIL_LABEL), logs, and apply -f - (kept). */
    private static final String FAKE_KUBECTL = """
            #!/usr/bin/env bash
            echo "$*" >> "$FAKE_DIR/calls.log"
            case "$*" in
              *" apply -f -"*) cat > "$FAKE_DIR/applied-$(ls "$FAKE_DIR" | grep -c '^applied-').yaml" ;;
              *" patch configmap txlab-loadtest "*)
                sed -E 's/.*"TXLAB_LOADTEST_LABEL":"([^"]*)".*/\\1/' <<< "$*" > "$FAKE_DIR/label" ;;
              *" get job txlab-loadtest "*)
                if [[ "$(cat "$FAKE_DIR/label")" == "${FAKE_FAIL_LABEL:-}" ]]; then printf '/1'; else printf '1/'; fi ;;
              *" logs job/txlab-loadtest"*)
                label=$(cat "$FAKE_DIR/label")
                echo "cluster load test $label: 5 orders/s for 1 s"
                echo "TXLAB-RESULT label=$label flow=twopc orders=150 final=150 confirmed=128 cancelled=22 unfinished=0 errors=0 p50Ms=12.5 p95Ms=30.1 p99Ms=44.0 maxMs=60.2"
                echo "TXLAB-RESULT-JSON {\\"label\\":\\"$label\\"}"
                echo "TXLAB-RESULT label=$label flow=outbox orders=150 final=149 confirmed=127 cancelled=22 unfinished=1 errors=0 p50Ms=40.0 p95Ms=80.0 p99Ms=120.0 maxMs=300.0" ;;
            esac
            exit 0
            """;

    @TempDir
    Path dir;

    @Test
    void eachStepDelaysEveryPodBeforeItsLoadTestAndTheDelayIsGoneAtTheEnd() throws Exception {
        Result result = sweep("0,10", Map.of());

        assertThat(result.exit()).as(result.output()).isZero();
        List<String> calls = result.calls();
        int zeroLabel = indexOf(calls, "patch configmap txlab-loadtest", "\"TXLAB_LOADTEST_LABEL\":\"rtt-0ms\"");
        int tenLabel = indexOf(calls, "patch configmap txlab-loadtest", "\"TXLAB_LOADTEST_LABEL\":\"rtt-10ms\"");
        int[] starts = IntStream.range(0, calls.size()).filter(i -> calls.get(i).contains("patch job txlab-loadtest")
                && calls.get(i).contains("\"suspend\":false")).toArray();
        assertThat(starts).as("one load test per round trip").hasSize(2);
        assertThat(zeroLabel).isLessThan(starts[0]);
        assertThat(tenLabel).isGreaterThan(starts[0]).isLessThan(starts[1]);

        // rtt 0: no delay while it runs; rtt 10: the experiment applied and injected before the Job starts
        assertThat(indexOf(calls, "delete networkchaos txlab-network-distance")).isBetween(zeroLabel, starts[0]);
        int applied = indexOf(calls, "apply -f -");
        int injected = indexOf(calls, "wait networkchaos/txlab-network-distance", "--for=condition=AllInjected");
        assertThat(applied).isBetween(tenLabel, injected);
        assertThat(injected).isLessThan(starts[1]);
        // every step gets a fresh Job from the overlay, after the old one is gone
        for (int start : starts) {
            int fresh = lastIndexBefore(calls, start, "apply --server-side -k " + result.overlay());
            assertThat(fresh).as("a fresh Job before load test at call %d", start).isPositive();
            assertThat(lastIndexBefore(calls, fresh, "delete job txlab-loadtest")).isNotNegative();
        }
        assertThat(last(calls)).as("the delay is removed at the end").contains("delete networkchaos txlab-network-distance");

        JsonNode chaos = YAML.readTree(Files.readString(dir.resolve("fake/applied-0.yaml")));
        assertThat(chaos.path("kind").asString()).isEqualTo("NetworkChaos");
        assertThat(chaos.path("metadata").path("name").asString()).isEqualTo("txlab-network-distance");
        JsonNode spec = chaos.path("spec");
        assertThat(spec.path("action").asString()).isEqualTo("delay");
        assertThat(spec.path("mode").asString()).isEqualTo("all");
        assertThat(spec.path("direction").asString()).as("each pod's own packets: both legs of a round trip").isEqualTo("to");
        assertThat(spec.path("delay").path("latency").asString()).as("half of 10 ms per leg").isEqualTo("5000us");
        assertThat(spec.path("selector").has("namespaces")).as("the experiment's own namespace").isFalse();
        JsonNode exclude = spec.path("selector").path("expressionSelectors").get(0);
        assertThat(exclude.path("key").asString()).isEqualTo("app.kubernetes.io/component");
        assertThat(exclude.path("operator").asString()).isEqualTo("NotIn");
        assertThat(exclude.path("values").get(0).asString()).isEqualTo(loadTestComponentLabel());

        List<String> tsv = Files.readAllLines(dir.resolve("out/rtt-sweep.tsv"));
        assertThat(tsv).hasSize(5);
        assertThat(tsv.get(0).split("\t")).hasSize(13).startsWith("rttMs", "label", "flow");
        assertThat(tsv.get(1)).isEqualTo(String.join("\t", "0", "rtt-0ms", "twopc", "150", "150", "128", "22", "0", "0",
                "12.5", "30.1", "44.0", "60.2"));
        assertThat(tsv.subList(1, 5)).extracting(line -> line.split("\t")[0] + " " + line.split("\t")[2])
                .containsExactly("0 twopc", "0 outbox", "10 twopc", "10 outbox");
        assertThat(Files.readString(dir.resolve("out/rtt-10ms.log"))).contains("TXLAB-RESULT-JSON");
    }

    @Test
    void aFailedLoadTestStopsTheSweepKeepsItsLogAndStillRemovesTheDelay() throws Exception {
        Result result = sweep("0,10,50", Map.of("FAKE_FAIL_LABEL", "rtt-10ms"));

        assertThat(result.exit()).as(result.output()).isEqualTo(3);
        assertThat(result.output()).contains("rtt-10ms: the load test failed");
        assertThat(result.calls()).noneMatch(c -> c.contains("rtt-50ms"));
        assertThat(last(result.calls())).contains("delete networkchaos txlab-network-distance");
        assertThat(dir.resolve("out/rtt-10ms.log")).exists();
        assertThat(Files.readAllLines(dir.resolve("out/rtt-sweep.tsv"))).hasSize(5);
    }

    @Test
    void aRoundTripThatIsNoWholeNumberOfMillisecondsIsRefusedBeforeAnyCall() throws Exception {
        Result result = sweep("0,2.5", Map.of());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("round trips are whole milliseconds 0 to 10000, got '2.5'");
        assertThat(result.calls()).isEmpty();
        assertThat(sweep("10,10", Map.of()).output()).contains("round trip 10 ms is listed twice");
    }

    private record Result(int exit, String output, List<String> calls, String overlay) {
    }

    private Result sweep(String rtts, Map<String, String> env) throws IOException, InterruptedException {
        Path repo = KubernetesManifestsTest.repositoryRoot();
        Path fake = Files.createDirectories(dir.resolve("fake"));
        Path kubectl = fake.resolve("kubectl");
        Files.writeString(kubectl, FAKE_KUBECTL, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(fake.resolve("calls.log"));
        String overlay = repo.resolve("k8s/overlays/all").toString();
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("k8s/chaos/rtt-sweep.sh").toString(), "txlab",
                overlay, rtts).redirectErrorStream(true);
        pb.environment().putAll(Map.of("KUBECTL", kubectl.toString(), "FAKE_DIR", fake.toString(),
                "TXLAB_RTT_OUT", dir.resolve("out").toString(), "TXLAB_RTT_SECONDS", "1"));
        pb.environment().putAll(env);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rtt-sweep.sh did not end within 60 s:\n" + output);
        }
        Path log = fake.resolve("calls.log");
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Result(process.exitValue(), output, calls, overlay);
    }

    /** The label the load-test Job's pods carry, which the experiment must leave out. */
    private static String loadTestComponentLabel() throws IOException {
        String yaml = Files.readString(KubernetesManifestsTest.repositoryRoot().resolve("k8s/components/loadtest/loadtest.yaml"));
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if ("Job".equals(doc.path("kind").asString(""))) {
                return doc.path("spec").path("template").path("metadata").path("labels")
                        .path("app.kubernetes.io/component").asString();
            }
        }
        throw new AssertionError("no Job in k8s/components/loadtest/loadtest.yaml");
    }

    private static int indexOf(List<String> calls, String... parts) {
        for (int i = 0; i < calls.size(); i++) {
            String call = calls.get(i);
            if (List.of(parts).stream().allMatch(call::contains)) {
                return i;
            }
        }
        throw new AssertionError("no call with " + List.of(parts) + " in " + calls);
    }

    private static int lastIndexBefore(List<String> calls, int before, String part) {
        for (int i = before - 1; i >= 0; i--) {
            if (calls.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    private static String last(List<String> calls) {
        assertThat(calls).isNotEmpty();
        return calls.get(calls.size() - 1);
    }
}

package io.txlab.systemtests.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders every kustomize overlay under {@code k8s/overlays} with {@code kubectl kustomize} and checks the objects
 * against the project's contract: they are Kubernetes resources, Services select pods that exist, every service gets
 * the environment it needs (pointing at objects that exist in the same render), ports follow the port table,
 * probes hit the actuator groups on the container's port, images are what Jib builds, and pods are locked down;
 * where an overlay includes {@code components/tracing}, Zipkin runs and every service exports its spans to it.
 * Skipped, with the reason, where {@code kubectl} is not installed.
 */
class KubernetesManifestsTest {

    private static final String REGISTRY = "ghcr.io/txlab";
    private static final List<String> FLOWS = List.of("choreography", "outbox", "orchestration", "twopc", "cockroach");
    private static final String LIVENESS = "/actuator/health/liveness";
    private static final String READINESS = "/actuator/health/readiness";

    /** One txlab service: its port (the project's port table), database cluster, and the env vars it must get. */
    /** The 2PC participants: each serves the protocol on a port of its own (adr/0024). */
    private static final List<String> PARTICIPANTS = List.of("order-service", "inventory-service", "payment-service");

    private record ServiceSpec(String name, int port, String databaseCluster, List<String> requiredEnv) {
    }

    private static final List<String> DATASOURCE =
            List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
    private static final List<String> TEMPORAL = List.of("TXLAB_TEMPORAL_TARGET", "TXLAB_TEMPORAL_NAMESPACE");
    /** The 2PC protocol's signing secret (adr/0018), from the Secret {@code txlab-internal}. */
    private static final String INTERNAL_SECRET = "TXLAB_INTERNAL_SECRET";
    private static final List<String> EVERY_SERVICE =
            List.of("SERVER_PORT", "SPRING_PROFILES_ACTIVE", "TXLAB_FLOWS_ENABLED", "JAVA_TOOL_OPTIONS");

    /** The required environment, defined once from the configuration table of the project brief. */
    private static final Map<String, ServiceSpec> SERVICES = services(
            new ServiceSpec("order-service", 8081, "postgres-order", concat(DATASOURCE, TEMPORAL, List.of(
                    "SPRING_KAFKA_BOOTSTRAP_SERVERS", "TXLAB_SERVICES_INVENTORY_URL", "TXLAB_SERVICES_PAYMENT_URL",
                    "TXLAB_TWOPC_COORDINATOR_URL", "TXLAB_TWOPC_SELF_URL", "TXLAB_TWOPC_INVENTORY_URL",
                    "TXLAB_TWOPC_PAYMENT_URL", INTERNAL_SECRET, "TXLAB_INTERNAL_PORT"))),
            new ServiceSpec("inventory-service", 8082, "postgres-inventory", concat(DATASOURCE, TEMPORAL,
                    List.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "TXLAB_TWOPC_COORDINATOR_URL", INTERNAL_SECRET,
                            "TXLAB_INTERNAL_PORT", "TXLAB_SERVICES_ORDER_URL"))),
            new ServiceSpec("payment-service", 8083, "postgres-payment", concat(DATASOURCE, TEMPORAL,
                    List.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "TXLAB_TWOPC_COORDINATOR_URL", INTERNAL_SECRET,
                            "TXLAB_INTERNAL_PORT", "TXLAB_SERVICES_ORDER_URL"))),
            new ServiceSpec("saga-orchestrator", 8084, null, TEMPORAL),
            new ServiceSpec("twopc-coordinator", 8085, "postgres-coordinator", concat(DATASOURCE, List.of(
                    INTERNAL_SECRET, "TXLAB_TWOPC_MONITOR_ORDER_HOST", "TXLAB_TWOPC_MONITOR_INVENTORY_HOST",
                    "TXLAB_TWOPC_MONITOR_PAYMENT_HOST", "TXLAB_TWOPC_MONITOR_ORDER_USER",
                    "TXLAB_TWOPC_MONITOR_ORDER_PASSWORD", "TXLAB_TWOPC_MONITOR_INVENTORY_USER",
                    "TXLAB_TWOPC_MONITOR_INVENTORY_PASSWORD", "TXLAB_TWOPC_MONITOR_PAYMENT_USER",
                    "TXLAB_TWOPC_MONITOR_PAYMENT_PASSWORD"))));

    /** Env vars order-service needs only where the cockroach flow runs (a real CockroachDB, not the stand-in). */
    private static final List<String> COCKROACH_ENV = List.of("TXLAB_COCKROACH_URL", "TXLAB_COCKROACH_BACKEND");

    /** The opt-in tracing component (Zipkin + the services' export settings), as overlays list it. */
    private static final String TRACING_COMPONENT = "k8s/components/tracing";
    /** The image of the Zipkin the component deploys; its tag must be the devstack's Zipkin version. */
    private static final String ZIPKIN_IMAGE = "openzipkin/zipkin";
    private static final String ZIPKIN_ENDPOINT = "TXLAB_TRACING_ZIPKIN_ENDPOINT";
    private static final String SAMPLING_PROBABILITY = "MANAGEMENT_TRACING_SAMPLING_PROBABILITY";
    private static final Pattern DEVSTACK_ZIPKIN_VERSION = Pattern.compile("<zipkin-server\\.version>([^<]+)</zipkin-server\\.version>");

    private static final Pattern HTTP_URL = Pattern.compile("^http://([a-z0-9-]+):(\\d+)");
    private static final Pattern JDBC_URL = Pattern.compile("^jdbc:postgresql://([a-z0-9-]+):(\\d+)/([a-z_]+)");

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    @TestFactory
    Stream<DynamicNode> everyOverlayRendersAndHonoursTheContract() throws IOException {
        Path repo = repositoryRoot();
        Optional<String> kubectlProblem = kubectlProblem();
        // the manifests are a deliverable: without kubectl they cannot be checked, and that is a failure, not a skip
        assertThat(kubectlProblem).as("kubectl with kustomize is needed to render k8s/overlays").isEmpty();
        String version = rootPomVersion(repo);
        String zipkinVersion = devstackZipkinVersion(repo);

        Path overlays = repo.resolve("k8s/overlays");
        List<String> names;
        try (Stream<Path> dirs = Files.list(overlays)) {
            names = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> expected = new ArrayList<>(FLOWS);
        expected.add("all");
        assertThat(names).as("one overlay per flow plus 'all' in %s", overlays).containsExactlyInAnyOrderElementsOf(expected);
        List<String> traced = names.stream().filter(name -> includesComponent(repo, name, TRACING_COMPONENT)).toList();
        assertThat(traced).as("overlays listing %s in their components (the cluster comparison is traced)", TRACING_COMPONENT)
                .contains("all");

        return names.stream().map(name -> {
            Render render = Render.of(name, repo);
            boolean tracing = traced.contains(name);
            return dynamicContainer("overlay " + name, Stream.of(
                    dynamicTest("renders to well-formed Kubernetes objects in its namespace", render::wellFormed),
                    dynamicTest("every Service selects the pods of some workload", render::servicesSelectPods),
                    dynamicTest("every service gets the env vars it needs, pointing at objects that exist",
                            render::environmentComplete),
                    dynamicTest("container ports, Service ports and the port table agree", render::portsAgree),
                    dynamicTest("a participant's protocol port admits the coordinator only", render::protocolPortOnlyForTheCoordinator),
                    dynamicTest("probes hit the actuator liveness/readiness groups on the container port",
                            render::probesHitActuator),
                    dynamicTest("images are the ones the Jib build produces (" + REGISTRY + "/<module>:" + version + ")",
                            () -> render.imagesMatchBuild(repo, version)),
                    dynamicTest("pods are locked down (non-root, read-only root, no capabilities, seccomp)",
                            render::podsLockedDown),
                    dynamicTest("the flows enabled have their workloads and infrastructure", render::flowsRunnable),
                    dynamicTest("chaos experiments are created paused and aim at pods the render creates",
                            render::chaosPausedAndAimed),
                    dynamicTest(tracing
                                    ? "tracing: Zipkin " + zipkinVersion + " and its Service run, every service exports to it and may reach it"
                                    : "tracing: not included, so no Zipkin and no service exports spans",
                            () -> render.tracing(tracing, zipkinVersion))));
        });
    }

    /** The objects of one rendered overlay, indexed for the checks. */
    private record Render(String overlay, String namespace, List<String> flows, List<JsonNode> objects) {

        static Render of(String overlay, Path repo) {
            String yaml = kustomize(repo, "k8s/overlays/" + overlay);
            List<JsonNode> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                        objects.add(doc);
                    }
                }
            }
            String namespace = overlay.equals("all") ? "txlab" : "txlab-" + overlay;
            List<String> flows = overlay.equals("all") ? FLOWS : List.of(overlay);
            return new Render(overlay, namespace, flows, objects);
        }

        List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asString(""))).toList();
        }

        Optional<JsonNode> find(String kind, String name) {
            return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asString(""))).findFirst();
        }

        JsonNode deployment(String name) {
            return find("Deployment", name).orElseThrow(() -> new AssertionError(
                    overlay + ": no Deployment '" + name + "' in the render"));
        }

        /** Deployments, StatefulSets, DaemonSets and Jobs: everything with a pod template. */
        List<JsonNode> workloads() {
            return objects.stream().filter(o -> Set.of("Deployment", "StatefulSet", "DaemonSet", "Job")
                    .contains(o.path("kind").asString(""))).toList();
        }

        static JsonNode container(JsonNode workload) {
            JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
            assertTrue(containers.isArray() && !containers.isEmpty(), "no containers in " + id(workload));
            return containers.get(0);
        }

        void wellFormed() {
            assertFalse(objects.isEmpty(), overlay + " rendered no objects");
            for (JsonNode o : objects) {
                assertTrue(o.isObject(), overlay + ": a document is not a mapping: " + o);
                assertFalse(o.path("apiVersion").asString("").isBlank(), overlay + ": apiVersion missing in " + o);
                assertFalse(o.path("kind").asString("").isBlank(), overlay + ": kind missing in " + o);
                assertFalse(o.path("metadata").path("name").asString("").isBlank(),
                        overlay + ": metadata.name missing in " + o.path("kind").asString(""));
                String kind = o.path("kind").asString();
                if (kind.equals("Namespace")) {
                    assertEquals(namespace, o.path("metadata").path("name").asString(), overlay + ": Namespace object");
                } else {
                    assertEquals(namespace, o.path("metadata").path("namespace").asString(""),
                            overlay + ": " + id(o) + " is not in the overlay's namespace");
                }
            }
        }

        void servicesSelectPods() {
            for (JsonNode service : ofKind("Service")) {
                if ("ExternalName".equals(service.path("spec").path("type").asString(""))) {
                    continue;
                }
                Map<String, String> selector = strings(service.path("spec").path("selector"));
                assertFalse(selector.isEmpty(), overlay + ": " + id(service) + " has no selector");
                boolean matched = workloads().stream().anyMatch(w -> strings(
                        w.path("spec").path("template").path("metadata").path("labels")).entrySet()
                        .containsAll(selector.entrySet()));
                assertTrue(matched, overlay + ": " + id(service) + " selects " + selector
                        + " but no pod template in the render carries those labels");
            }
            for (JsonNode deployment : ofKind("Deployment")) {
                Map<String, String> selector = strings(deployment.path("spec").path("selector").path("matchLabels"));
                Map<String, String> labels = strings(deployment.path("spec").path("template").path("metadata").path("labels"));
                assertTrue(!selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet()),
                        overlay + ": " + id(deployment) + " selector " + selector + " does not match its pods " + labels);
            }
            for (JsonNode pdb : ofKind("PodDisruptionBudget")) {
                Map<String, String> selector = strings(pdb.path("spec").path("selector").path("matchLabels"));
                assertTrue(workloads().stream().anyMatch(w -> strings(w.path("spec").path("template").path("metadata")
                        .path("labels")).entrySet().containsAll(selector.entrySet())),
                        overlay + ": " + id(pdb) + " selects no pods");
            }
        }

        /**
         * Every Chaos Mesh experiment is created paused (applying an overlay never harms anything by itself), and its
         * selectors, and a network experiment's target, name pods this render creates: a workload's pod template, or a
         * PostgreSQL cluster or Kafka cluster its operator turns into pods.
         */
        void chaosPausedAndAimed() {
            List<JsonNode> experiments = objects.stream()
                    .filter(o -> o.path("apiVersion").asString("").startsWith("chaos-mesh.org/")).toList();
            assertFalse(experiments.isEmpty(), overlay + ": no Chaos Mesh experiment");
            for (JsonNode e : experiments) {
                assertEquals("true", e.path("metadata").path("annotations").path("experiment.chaos-mesh.org/pause")
                        .asString(""), overlay + ": " + id(e) + " is not created paused");
                assertAimed(e, e.path("spec").path("selector"));
                if (e.path("spec").has("target")) {
                    assertAimed(e, e.path("spec").path("target").path("selector"));
                }
            }
        }

        private void assertAimed(JsonNode experiment, JsonNode selector) {
            Map<String, String> labels = strings(selector.path("labelSelectors"));
            assertFalse(labels.isEmpty(), overlay + ": " + id(experiment) + " selects by no label");
            String postgres = labels.get("cnpg.io/cluster");
            String kafka = labels.get("strimzi.io/cluster");
            boolean aimed = postgres != null ? find("Cluster", postgres).isPresent()
                    : kafka != null ? find("Kafka", kafka).isPresent()
                    : workloads().stream().anyMatch(w -> strings(w.path("spec").path("template").path("metadata")
                    .path("labels")).entrySet().containsAll(labels.entrySet()));
            assertTrue(aimed, overlay + ": " + id(experiment) + " selects " + labels + ", which nothing in the render creates");
        }

        /** Env of the first container: literal values, ConfigMap keys (resolved in this render), Secret references. */
        Map<String, JsonNode> environment(JsonNode workload) {
            JsonNode container = container(workload);
            Map<String, JsonNode> env = new LinkedHashMap<>();
            for (JsonNode from : container.path("envFrom")) {
                String name = from.path("configMapRef").path("name").asString("");
                assertFalse(name.isEmpty(), overlay + ": " + id(workload) + " uses envFrom other than a ConfigMap: " + from);
                JsonNode configMap = find("ConfigMap", name).orElseThrow(() -> new AssertionError(
                        overlay + ": " + id(workload) + " reads ConfigMap " + name + ", which is not in the render"));
                configMap.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue()));
            }
            for (JsonNode var : container.path("env")) {
                env.put(var.path("name").asString(), var.has("value") ? var.path("value") : var.path("valueFrom"));
            }
            return env;
        }

        void environmentComplete() {
            for (ServiceSpec spec : SERVICES.values()) {
                JsonNode deployment = deployment(spec.name());
                Map<String, JsonNode> env = environment(deployment);
                List<String> required = new ArrayList<>(concat(EVERY_SERVICE, spec.requiredEnv()));
                if (spec.name().equals("order-service") && flows.contains("cockroach")) {
                    required.addAll(COCKROACH_ENV);
                }
                Set<String> missing = new TreeSet<>(required);
                missing.removeAll(env.keySet());
                assertTrue(missing.isEmpty(), overlay + ": " + spec.name() + " lacks env " + missing);

                assertEquals(String.valueOf(spec.port()), text(env.get("SERVER_PORT")), overlay + ": " + spec.name() + " SERVER_PORT");
                assertThat(text(env.get("SPRING_PROFILES_ACTIVE")).split(","))
                        .as("%s: %s runs the production profile (Temporal defaults, not the test-server tuning)", overlay, spec.name())
                        .contains("production");
                assertEquals(String.join(",", flows), text(env.get("TXLAB_FLOWS_ENABLED")), overlay + ": TXLAB_FLOWS_ENABLED");
                // TXLAB_FLOWS_ENABLED is the one switch (adr/0026); a service given one of the switches it replaced
                // refuses to start.
                assertThat(env.keySet()).as("%s: %s sets no replaced flow switch", overlay, spec.name())
                        .doesNotContain("TXLAB_CHOREOGRAPHY_ENABLED", "TXLAB_TWOPC_PARTICIPANT_ENABLED",
                                "TXLAB_TEMPORAL_ENABLED", "TXLAB_COCKROACH_ENABLED");
                assertThat(text(env.get("JAVA_TOOL_OPTIONS"))).as("%s: %s heap sized from the container limit", overlay, spec.name())
                        .contains("-XX:MaxRAMPercentage=");

                if (spec.databaseCluster() != null) {
                    checkDatabase(spec, env);
                }
                for (Map.Entry<String, JsonNode> var : env.entrySet()) {
                    Matcher http = HTTP_URL.matcher(text(var.getValue()));
                    if (http.find()) {
                        checkServiceExposes(spec.name() + " " + var.getKey(), http.group(1), Integer.parseInt(http.group(2)));
                    }
                }
                if (env.containsKey("SPRING_KAFKA_BOOTSTRAP_SERVERS") && (flows.contains("choreography") || flows.contains("outbox"))) {
                    String bootstrap = text(env.get("SPRING_KAFKA_BOOTSTRAP_SERVERS"));
                    JsonNode kafka = ofKind("Kafka").stream().findFirst().orElseThrow(() -> new AssertionError(
                            overlay + ": flows " + flows + " need Kafka but the render has no Strimzi Kafka"));
                    String cluster = kafka.path("metadata").path("name").asString();
                    boolean listens = false;
                    for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
                        listens |= bootstrap.equals(cluster + "-kafka-bootstrap:" + listener.path("port").asInt());
                    }
                    assertTrue(listens, overlay + ": " + spec.name() + " bootstrap " + bootstrap + " is no listener of Kafka " + cluster);
                }
                if (env.containsKey("TXLAB_TEMPORAL_TARGET") && flows.contains("orchestration")) {
                    String[] target = text(env.get("TXLAB_TEMPORAL_TARGET")).split(":");
                    checkServiceExposes(spec.name() + " TXLAB_TEMPORAL_TARGET", target[0], Integer.parseInt(target[1]));
                }
            }
            if (flows.contains("cockroach")) {
                Map<String, JsonNode> env = environment(deployment("order-service"));
                assertEquals("cockroachdb", text(env.get("TXLAB_COCKROACH_BACKEND")), overlay + ": TXLAB_COCKROACH_BACKEND");
                assertThat(text(env.get("TXLAB_COCKROACH_URL"))).as("%s: TXLAB_COCKROACH_URL", overlay)
                        .startsWith("jdbc:postgresql://cockroachdb-public:26257/txlab")
                        .doesNotContainIgnoringCase("password");
                assertThat(env.get("TXLAB_COCKROACH_PASSWORD")).as("%s: the password from its Secret", overlay)
                        .isNotNull();
                assertThat(env.get("TXLAB_COCKROACH_PASSWORD").path("secretKeyRef").path("name")
                        .asString()).isEqualTo("cockroachdb-txlab");
                assertFalse(ofKind("CrdbCluster").isEmpty(), overlay + ": the cockroach flow needs a CrdbCluster");
            }
        }

        /** The JDBC URL names the CloudNativePG cluster's read-write Service and its database; credentials by reference. */
        void checkDatabase(ServiceSpec spec, Map<String, JsonNode> env) {
            String url = text(env.get("SPRING_DATASOURCE_URL"));
            Matcher jdbc = JDBC_URL.matcher(url);
            assertTrue(jdbc.find(), overlay + ": " + spec.name() + " SPRING_DATASOURCE_URL is no PostgreSQL URL: " + url);
            assertEquals(spec.databaseCluster() + "-rw", jdbc.group(1), overlay + ": " + spec.name() + " database host");
            JsonNode cluster = find("Cluster", spec.databaseCluster()).orElseThrow(() -> new AssertionError(
                    overlay + ": " + spec.name() + " needs CloudNativePG Cluster " + spec.databaseCluster()));
            assertEquals(cluster.path("spec").path("bootstrap").path("initdb").path("database").asString(""), jdbc.group(3),
                    overlay + ": " + spec.name() + " database name");
            JsonNode parameters = cluster.path("spec").path("postgresql").path("parameters");
            assertEquals("logical", parameters.path("wal_level").asString(""), overlay + ": " + id(cluster) + " wal_level");
            assertEquals("100", parameters.path("max_prepared_transactions").asString(""),
                    overlay + ": " + id(cluster) + " max_prepared_transactions");
            if (env.containsKey(INTERNAL_SECRET)) {
                JsonNode ref = env.get(INTERNAL_SECRET).path("secretKeyRef");
                assertEquals("txlab-internal", ref.path("name").asString(""),
                        overlay + ": " + spec.name() + " " + INTERNAL_SECRET + " must come from the Secret txlab-internal");
                assertEquals("secret", ref.path("key").asString(""), overlay + ": " + spec.name() + " " + INTERNAL_SECRET);
            }
            for (String var : List.of("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD")) {
                JsonNode ref = env.get(var).path("secretKeyRef");
                assertEquals(spec.databaseCluster() + "-app", ref.path("name").asString(""),
                        overlay + ": " + spec.name() + " " + var + " must come from the CloudNativePG app Secret");
                assertEquals(var.endsWith("USERNAME") ? "username" : "password", ref.path("key").asString(""),
                        overlay + ": " + spec.name() + " " + var + " key");
            }
        }

        void checkServiceExposes(String who, String host, int port) {
            JsonNode service = find("Service", host).orElseThrow(() -> new AssertionError(
                    overlay + ": " + who + " points at Service " + host + ", which is not in the render"));
            boolean exposed = false;
            for (JsonNode p : service.path("spec").path("ports")) {
                exposed |= p.path("port").asInt() == port;
            }
            assertTrue(exposed, overlay + ": " + who + " uses port " + port + " but " + id(service) + " does not expose it");
        }

        void portsAgree() {
            for (ServiceSpec spec : SERVICES.values()) {
                JsonNode container = container(deployment(spec.name()));
                int containerPort = namedPort(container, "http").orElseThrow(() -> new AssertionError(
                        overlay + ": " + spec.name() + " declares no containerPort named http"));
                assertEquals(spec.port(), containerPort, overlay + ": " + spec.name() + " containerPort vs the port table");
                JsonNode service = find("Service", spec.name()).orElseThrow(() -> new AssertionError(
                        overlay + ": no Service " + spec.name()));
                JsonNode ports = service.path("spec").path("ports");
                boolean participant = PARTICIPANTS.contains(spec.name());
                assertEquals(participant ? 2 : 1, ports.size(), overlay + ": " + id(service) + " ports (a 2PC participant "
                        + "also exposes its protocol port, adr/0024)");
                JsonNode port = servicePort(service, "http");
                assertEquals(spec.port(), port.path("port").asInt(), overlay + ": " + id(service) + " port vs the port table");
                assertEquals(containerPort, resolve(container, service, port), overlay + ": " + id(service) + " targetPort vs containerPort");
                if (participant) {
                    int internal = Integer.parseInt(text(environment(deployment(spec.name())).get("TXLAB_INTERNAL_PORT")));
                    JsonNode twopc = servicePort(service, "twopc");
                    assertEquals(internal, twopc.path("port").asInt(), overlay + ": " + id(service) + " twopc port vs TXLAB_INTERNAL_PORT");
                    assertEquals(internal, resolve(container, service, twopc), overlay + ": " + id(service) + " twopc targetPort");
                }
            }
        }

        /**
         * The participant protocol's port (adr/0024) admits the coordinator and nobody else; the API port does not
         * admit the coordinator (it never calls the API), so the protocol cannot be reached around the port.
         */
        void protocolPortOnlyForTheCoordinator() {
            Map<String, String> coordinator = strings(deployment("twopc-coordinator").path("spec").path("template")
                    .path("metadata").path("labels"));
            Map<String, String> orderService = strings(deployment("order-service").path("spec").path("template")
                    .path("metadata").path("labels"));
            Map<String, String> loadTest = Map.of("app.kubernetes.io/component", "load-test");
            for (String name : PARTICIPANTS) {
                JsonNode deployment = deployment(name);
                JsonNode container = container(deployment);
                Map<String, String> pod = strings(deployment.path("spec").path("template").path("metadata").path("labels"));
                int internal = Integer.parseInt(text(environment(deployment).get("TXLAB_INTERNAL_PORT")));
                int api = SERVICES.get(name).port();
                assertTrue(allows("Ingress", coordinator, pod, internal, container), overlay + ": the coordinator cannot reach "
                        + name + "'s protocol port " + internal);
                assertTrue(allows("Egress", coordinator, pod, internal, container), overlay + ": no egress from the coordinator to "
                        + name + ":" + internal);
                for (Map<String, String> other : List.of(orderService, loadTest)) {
                    if (!other.equals(pod)) {
                        assertFalse(allows("Ingress", other, pod, internal, container), overlay + ": " + other + " may reach "
                                + name + "'s protocol port " + internal);
                    }
                }
                assertFalse(allows("Ingress", coordinator, pod, api, container), overlay + ": the coordinator may reach "
                        + name + "'s API port " + api + ", which it never calls");
            }
        }

        static JsonNode servicePort(JsonNode service, String name) {
            for (JsonNode p : service.path("spec").path("ports")) {
                if (name.equals(p.path("name").asString(""))) {
                    return p;
                }
            }
            throw new AssertionError(id(service) + " has no port named " + name);
        }

        int resolve(JsonNode container, JsonNode service, JsonNode servicePort) {
            JsonNode target = servicePort.path("targetPort");
            return target.isNumber() ? target.asInt() : namedPort(container, target.asString("")).orElseThrow(
                    () -> new AssertionError(overlay + ": " + id(service) + " targetPort " + target + " names no container port"));
        }

        void probesHitActuator() {
            for (ServiceSpec spec : SERVICES.values()) {
                JsonNode container = container(deployment(spec.name()));
                Map<String, String> expected = Map.of(
                        "startupProbe", LIVENESS, "livenessProbe", LIVENESS, "readinessProbe", READINESS);
                for (Map.Entry<String, String> probe : expected.entrySet()) {
                    JsonNode get = container.path(probe.getKey()).path("httpGet");
                    assertFalse(get.isMissingNode(), overlay + ": " + spec.name() + " has no HTTP " + probe.getKey());
                    assertEquals(probe.getValue(), get.path("path").asString(""), overlay + ": " + spec.name() + " " + probe.getKey() + " path");
                    JsonNode port = get.path("port");
                    int resolved = port.isNumber() ? port.asInt() : namedPort(container, port.asString("")).orElse(-1);
                    assertEquals(spec.port(), resolved, overlay + ": " + spec.name() + " " + probe.getKey() + " port");
                }
            }
        }

        void imagesMatchBuild(Path repo, String version) {
            String rootPom = read(repo.resolve("pom.xml"));
            assertThat(rootPom).as("root pom: Jib pushes to the registry the manifests use")
                    .contains("<jib.image.registry>" + REGISTRY + "</jib.image.registry>")
                    .contains("<image>${jib.image.registry}/${project.artifactId}:${project.version}</image>");
            List<String> ours = new ArrayList<>();
            for (JsonNode workload : workloads()) {
                JsonNode containers = workload.path("spec").path("template").path("spec");
                for (String list : List.of("containers", "initContainers")) {
                    for (JsonNode c : containers.path(list)) {
                        String image = c.path("image").asString("");
                        if (!image.startsWith(REGISTRY + "/")) {
                            continue;
                        }
                        String module = image.substring(REGISTRY.length() + 1).split("[:@]")[0];
                        assertEquals(REGISTRY + "/" + module + ":" + version, image,
                                overlay + ": " + id(workload) + " image tag must be the project version");
                        Path modulePom = repo.resolve(module).resolve("pom.xml");
                        assertTrue(Files.isRegularFile(modulePom), overlay + ": image " + image + " names no module of this build");
                        assertThat(read(modulePom)).as("%s lists the Jib plugin, so the build produces %s", modulePom, image)
                                .contains("<artifactId>jib-maven-plugin</artifactId>");
                        ours.add(module);
                    }
                }
            }
            List<String> expected = new ArrayList<>(SERVICES.keySet());
            expected.add("load-tests");
            assertThat(ours).as("%s: the txlab images in the render", overlay).containsExactlyInAnyOrderElementsOf(expected);
        }

        void podsLockedDown() {
            for (JsonNode workload : workloads()) {
                JsonNode pod = workload.path("spec").path("template").path("spec");
                JsonNode security = pod.path("securityContext");
                assertTrue(security.path("runAsNonRoot").asBoolean(false), overlay + ": " + id(workload) + " runAsNonRoot");
                assertEquals("RuntimeDefault", security.path("seccompProfile").path("type").asString(""),
                        overlay + ": " + id(workload) + " seccomp profile");
                Set<String> emptyDirs = new TreeSet<>();
                for (JsonNode volume : pod.path("volumes")) {
                    if (volume.has("emptyDir")) {
                        emptyDirs.add(volume.path("name").asString());
                    }
                }
                for (JsonNode c : pod.path("containers")) {
                    String who = overlay + ": " + id(workload) + " container " + c.path("name").asString();
                    JsonNode cs = c.path("securityContext");
                    assertTrue(cs.path("readOnlyRootFilesystem").asBoolean(false), who + " readOnlyRootFilesystem");
                    assertFalse(cs.path("allowPrivilegeEscalation").asBoolean(true), who + " allowPrivilegeEscalation");
                    assertTrue(strings(cs.path("capabilities").path("drop")).containsValue("ALL"), who + " drops ALL capabilities");
                    boolean writableTmp = false;
                    for (JsonNode mount : c.path("volumeMounts")) {
                        writableTmp |= "/tmp".equals(mount.path("mountPath").asString()) && emptyDirs.contains(mount.path("name").asString());
                    }
                    assertTrue(writableTmp, who + " needs an emptyDir at /tmp (the root filesystem is read-only)");
                    JsonNode resources = c.path("resources");
                    assertFalse(resources.path("requests").isEmpty(), who + " resource requests");
                    assertFalse(resources.path("limits").path("memory").isMissingNode(), who + " memory limit");
                }
            }
            for (ServiceSpec spec : SERVICES.values()) {
                assertThat(ofKind("PodDisruptionBudget")).as("%s: PodDisruptionBudget for %s", overlay, spec.name())
                        .anyMatch(pdb -> spec.name().equals(pdb.path("metadata").path("name").asString()));
            }
            assertThat(ofKind("NetworkPolicy")).as("%s: a default-deny ingress policy", overlay).anyMatch(np ->
                    np.path("spec").path("podSelector").isEmpty()
                            && strings(np.path("spec").path("policyTypes")).containsValue("Ingress")
                            && np.path("spec").path("ingress").isMissingNode());
            for (JsonNode cluster : ofKind("Cluster")) {
                String name = cluster.path("metadata").path("name").asString();
                assertThat(ofKind("NetworkPolicy")).as("%s: an ingress policy guards database %s", overlay, name).anyMatch(np ->
                        name.equals(np.path("spec").path("podSelector").path("matchLabels").path("cnpg.io/cluster").asString("")));
            }
            JsonNode coordinator = deployment("twopc-coordinator");
            assertThat(coordinator.path("spec").path("replicas").asInt(1)).as("%s: a single 2PC coordinator", overlay).isLessThanOrEqualTo(1);
            assertEquals("Recreate", coordinator.path("spec").path("strategy").path("type").asString(""),
                    overlay + ": the coordinator must never run twice during a rollout");
        }

        void flowsRunnable() {
            Map<String, List<String>> needs = Map.of(
                    "choreography", List.of("order-service", "inventory-service", "payment-service"),
                    "outbox", List.of("order-service", "inventory-service", "payment-service"),
                    "orchestration", List.of("order-service", "inventory-service", "payment-service", "saga-orchestrator"),
                    "twopc", List.of("order-service", "inventory-service", "payment-service", "twopc-coordinator"),
                    "cockroach", List.of("order-service", "inventory-service", "payment-service"));
            for (String flow : flows) {
                for (String workload : needs.get(flow)) {
                    assertThat(deployment(workload).path("spec").path("replicas").asInt(1))
                            .as("%s: flow %s needs %s running", overlay, flow, workload).isPositive();
                }
            }
            if (flows.contains("choreography") || flows.contains("outbox")) {
                Set<String> topics = new TreeSet<>();
                ofKind("KafkaTopic").forEach(t -> topics.add(t.path("spec").path("topicName").asString()));
                assertThat(topics).as("%s: the flow topics and their dead-letter topics", overlay).contains(
                        "order.events", "inventory.events", "payment.events",
                        "order.events.DLT", "inventory.events.DLT", "payment.events.DLT");
            }
            JsonNode loadtest = find("Job", "txlab-loadtest").orElseThrow(() -> new AssertionError(overlay + ": no load-test Job"));
            assertTrue(loadtest.path("spec").path("suspend").asBoolean(false),
                    overlay + ": the load-test Job must wait (suspended) until the services are ready");
            Map<String, JsonNode> env = environment(loadtest);
            checkServiceExposes("load-test TXLAB_ORDER_SERVICE_URL", "order-service", 8081);
            assertEquals("http://order-service:8081", text(env.get("TXLAB_ORDER_SERVICE_URL")), overlay + ": load-test target");
        }

        /**
         * With {@code components/tracing}: one Zipkin of the devstack's version, in-memory so single and
         * {@code Recreate}, ready on {@code /health}; a Service in front of it; every txlab service's endpoint names
         * that Service and port ({@code /api/v2/spans}), samples a share in (0, 1], logs JSON, and the rendered
         * NetworkPolicies let its pods reach Zipkin's on that port. Without it: none of that.
         */
        void tracing(boolean included, String zipkinVersion) {
            List<JsonNode> zipkins = workloads().stream().filter(w -> container(w).path("image").asString("")
                    .startsWith(ZIPKIN_IMAGE + ":")).toList();
            if (!included) {
                assertThat(zipkins).as("%s: no Zipkin without %s", overlay, TRACING_COMPONENT).isEmpty();
                for (ServiceSpec spec : SERVICES.values()) {
                    assertThat(environment(deployment(spec.name()))).as("%s: %s exports no spans without %s",
                            overlay, spec.name(), TRACING_COMPONENT).doesNotContainKey(ZIPKIN_ENDPOINT);
                }
                return;
            }
            assertThat(zipkins).as("%s: one Zipkin workload (%s)", overlay, ZIPKIN_IMAGE).hasSize(1);
            JsonNode zipkin = zipkins.get(0);
            assertEquals("Deployment", zipkin.path("kind").asString(""), overlay + ": Zipkin runs as a Deployment");
            JsonNode container = container(zipkin);
            assertEquals(ZIPKIN_IMAGE + ":" + zipkinVersion, container.path("image").asString(),
                    overlay + ": Zipkin image tag must be the devstack's Zipkin version (devstack/pom.xml zipkin-server.version)");
            Map<String, JsonNode> zipkinEnv = environment(zipkin);
            assertEquals("mem", text(zipkinEnv.get("STORAGE_TYPE")), overlay + ": Zipkin storage");
            assertEquals(1, zipkin.path("spec").path("replicas").asInt(1),
                    overlay + ": in-memory Zipkin must be single (two would each hold part of every trace)");
            assertEquals("Recreate", zipkin.path("spec").path("strategy").path("type").asString(""),
                    overlay + ": in-memory Zipkin must never run twice during a rollout");
            JsonNode ready = container.path("readinessProbe").path("httpGet");
            assertEquals("/health", ready.path("path").asString(""), overlay + ": Zipkin readiness probe path");
            int zipkinPort = namedPort(container, "http").orElseThrow(() -> new AssertionError(
                    overlay + ": Zipkin declares no containerPort named http"));
            JsonNode readyPort = ready.path("port");
            assertEquals(zipkinPort, readyPort.isNumber() ? readyPort.asInt() : namedPort(container, readyPort.asString("")).orElse(-1),
                    overlay + ": Zipkin readiness probe port");

            Map<String, String> zipkinPod = strings(zipkin.path("spec").path("template").path("metadata").path("labels"));
            List<JsonNode> services = ofKind("Service").stream().filter(svc -> {
                Map<String, String> selector = strings(svc.path("spec").path("selector"));
                return !selector.isEmpty() && zipkinPod.entrySet().containsAll(selector.entrySet());
            }).toList();
            assertThat(services).as("%s: one Service selects the Zipkin pods", overlay).hasSize(1);
            JsonNode service = services.get(0);
            String serviceName = service.path("metadata").path("name").asString();
            Set<Integer> servicePorts = new TreeSet<>();
            for (JsonNode p : service.path("spec").path("ports")) {
                JsonNode target = p.path("targetPort");
                int resolved = target.isMissingNode() ? p.path("port").asInt()
                        : target.isNumber() ? target.asInt() : namedPort(container, target.asString("")).orElse(-1);
                if (resolved == zipkinPort) {
                    servicePorts.add(p.path("port").asInt());
                }
            }
            assertThat(servicePorts).as("%s: %s forwards to Zipkin's port %d", overlay, id(service), zipkinPort).isNotEmpty();
            Set<String> hosts = Set.of(serviceName, serviceName + "." + namespace, serviceName + "." + namespace + ".svc",
                    serviceName + "." + namespace + ".svc.cluster.local");

            for (ServiceSpec spec : SERVICES.values()) {
                JsonNode deployment = deployment(spec.name());
                Map<String, JsonNode> env = environment(deployment);
                String who = overlay + ": " + spec.name();
                assertTrue(env.containsKey(ZIPKIN_ENDPOINT), who + " lacks " + ZIPKIN_ENDPOINT + " (the tracing patch missed it)");
                URI endpoint = URI.create(text(env.get(ZIPKIN_ENDPOINT)));
                assertEquals("http", endpoint.getScheme(), who + " " + ZIPKIN_ENDPOINT + " scheme");
                assertThat(hosts).as("%s %s host is the Zipkin Service %s", who, ZIPKIN_ENDPOINT, serviceName)
                        .contains(endpoint.getHost());
                assertThat(servicePorts).as("%s %s port is one %s forwards to Zipkin", who, ZIPKIN_ENDPOINT, id(service))
                        .contains(endpoint.getPort());
                assertEquals("/api/v2/spans", endpoint.getPath(), who + " " + ZIPKIN_ENDPOINT + " is Zipkin's v2 span intake");
                assertTrue(env.containsKey(SAMPLING_PROBABILITY), who + " lacks " + SAMPLING_PROBABILITY + " (default 0: nothing traced)");
                double probability = Double.parseDouble(text(env.get(SAMPLING_PROBABILITY)));
                assertThat(probability).as("%s %s", who, SAMPLING_PROBABILITY).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
                assertEquals("json", text(env.get("TXLAB_LOG_FORMAT")), who + " TXLAB_LOG_FORMAT");

                Map<String, String> pod = strings(deployment.path("spec").path("template").path("metadata").path("labels"));
                assertTrue(allows("Egress", pod, zipkinPod, zipkinPort, container),
                        who + ": no NetworkPolicy lets its pods (" + pod + ") reach Zipkin's pods on " + zipkinPort);
                assertTrue(allows("Ingress", pod, zipkinPod, zipkinPort, container),
                        who + ": no NetworkPolicy admits its pods (" + pod + ") to Zipkin's pods on " + zipkinPort);
            }
        }

        /**
         * Whether a NetworkPolicy of this render opens {@code from} → {@code to} on a TCP port, on the given side:
         * for Egress a policy selecting {@code from} with a rule to {@code to}'s pods in this namespace, for Ingress
         * a policy selecting {@code to} with a rule from {@code from}'s pods. A rule without peers or ports is open.
         */
        boolean allows(String side, Map<String, String> from, Map<String, String> to, int port, JsonNode toContainer) {
            boolean egress = side.equals("Egress");
            for (JsonNode policy : ofKind("NetworkPolicy")) {
                JsonNode spec = policy.path("spec");
                if (!strings(spec.path("policyTypes")).containsValue(side)
                        || !selects(spec.path("podSelector"), egress ? from : to)) {
                    continue;
                }
                for (JsonNode rule : spec.path(egress ? "egress" : "ingress")) {
                    JsonNode peers = rule.path(egress ? "to" : "from");
                    boolean peerMatches = peers.isMissingNode() || peers.isEmpty();
                    for (JsonNode peer : peers) {
                        peerMatches |= peer.has("podSelector") && !peer.has("ipBlock")
                                && (!peer.has("namespaceSelector") || selects(peer.path("namespaceSelector"),
                                        Map.of("kubernetes.io/metadata.name", namespace)))
                                && selects(peer.path("podSelector"), egress ? to : from);
                    }
                    JsonNode ports = rule.path("ports");
                    boolean portMatches = ports.isMissingNode() || ports.isEmpty();
                    for (JsonNode p : ports) {
                        if (!"TCP".equals(p.path("protocol").asString("TCP"))) {
                            continue;
                        }
                        JsonNode number = p.path("port");
                        int first = number.isNumber() ? number.asInt() : namedPort(toContainer, number.asString("")).orElse(-1);
                        int last = p.path("endPort").asInt(first);
                        portMatches |= number.isMissingNode() || (first <= port && port <= last);
                    }
                    if (peerMatches && portMatches) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** A label selector (matchLabels and matchExpressions) against a pod's labels; an empty selector selects all. */
        static boolean selects(JsonNode selector, Map<String, String> labels) {
            if (!labels.entrySet().containsAll(strings(selector.path("matchLabels")).entrySet())) {
                return false;
            }
            for (JsonNode expression : selector.path("matchExpressions")) {
                String key = expression.path("key").asString("");
                boolean has = labels.containsKey(key);
                boolean in = has && strings(expression.path("values")).containsValue(labels.get(key));
                boolean holds = switch (expression.path("operator").asString("")) {
                    case "In" -> in;
                    case "NotIn" -> !in;
                    case "Exists" -> has;
                    case "DoesNotExist" -> !has;
                    default -> throw new AssertionError("unknown selector operator in " + expression);
                };
                if (!holds) {
                    return false;
                }
            }
            return true;
        }

        static Optional<Integer> namedPort(JsonNode container, String name) {
            for (JsonNode p : container.path("ports")) {
                if (name.equals(p.path("name").asString(""))) {
                    return Optional.of(p.path("containerPort").asInt());
                }
            }
            return Optional.empty();
        }

        static String id(JsonNode o) {
            return o.path("kind").asString("?") + "/" + o.path("metadata").path("name").asString("?");
        }

        static String text(JsonNode value) {
            return value == null ? "" : value.asString("");
        }

        /** A mapping of scalars (labels, selectors) or a sequence of scalars (keyed by index) as strings. */
        static Map<String, String> strings(JsonNode node) {
            Map<String, String> out = new HashMap<>();
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    out.put(Integer.toString(i), node.get(i).asString(""));
                }
            } else if (node.isObject()) {
                node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString("")));
            }
            return out;
        }
    }

    private static String kustomize(Path repo, String dir) {
        Process process = null;
        try {
            Path output = Files.createTempFile("kustomize-", ".yaml");
            Path errors = Files.createTempFile("kustomize-", ".err");
            try {
                process = new ProcessBuilder("kubectl", "kustomize", dir).directory(repo.toFile())
                        .redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    fail("kubectl kustomize " + dir + " did not finish within 60 s");
                }
                if (process.exitValue() != 0) {
                    fail("kubectl kustomize " + dir + " failed (exit " + process.exitValue() + "):\n" + read(errors));
                }
                return read(output);
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run kubectl kustomize " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while rendering " + dir, e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Empty when {@code kubectl kustomize} can run here; otherwise why not. */
    private static Optional<String> kubectlProblem() {
        Process process = null;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", "--help").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.of("`kubectl kustomize --help` did not answer within 20 s");
            }
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of("`kubectl kustomize --help` exited with " + process.exitValue());
        } catch (IOException e) {
            return Optional.of("kubectl is not on the PATH (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("k8s/overlays")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new AssertionError("no k8s/overlays above " + Path.of("").toAbsolutePath());
    }

    /** Whether {@code k8s/overlays/<overlay>/kustomization.yaml} lists {@code component} (a repo-relative path). */
    private static boolean includesComponent(Path repo, String overlay, String component) {
        Path dir = repo.resolve("k8s/overlays").resolve(overlay);
        JsonNode kustomization = YAML.readTree(read(dir.resolve("kustomization.yaml")));
        Path wanted = repo.resolve(component).normalize();
        for (JsonNode entry : kustomization.path("components")) {
            if (dir.resolve(entry.asString("")).normalize().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** The Zipkin the devstack runs ({@code zipkin-server.version} in devstack/pom.xml), which k8s must match. */
    private static String devstackZipkinVersion(Path repo) {
        Matcher version = DEVSTACK_ZIPKIN_VERSION.matcher(read(repo.resolve("devstack/pom.xml")));
        assertTrue(version.find(), "devstack/pom.xml declares no <zipkin-server.version>");
        return version.group(1).trim();
    }

    private static String rootPomVersion(Path repo) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(repo.resolve("pom.xml").toFile()).getDocumentElement();
            for (var node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals("version")) {
                    String version = element.getTextContent().trim();
                    assertNotNull(version);
                    return version;
                }
            }
            throw new AssertionError("the root pom.xml declares no <version>");
        } catch (Exception e) {
            throw new AssertionError("could not read the root pom.xml version", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("could not read " + file, e);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }

    private static Map<String, ServiceSpec> services(ServiceSpec... specs) {
        Map<String, ServiceSpec> map = new LinkedHashMap<>();
        for (ServiceSpec spec : specs) {
            map.put(spec.name(), spec);
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}

package io.txlab.devstack;

import io.txlab.devstack.postgres.DatabaseSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The local stack, defined once: components, ports, databases, the environment each service gets and the
 * start order. Ports are the documented defaults plus an offset, so a test stack can run beside a dev stack.
 */
public final class Topology {

    public static final String POSTGRES_ORDER = "postgres-order";
    public static final String POSTGRES_INVENTORY = "postgres-inventory";
    public static final String POSTGRES_PAYMENT = "postgres-payment";
    public static final String POSTGRES_COORDINATOR = "postgres-coordinator";
    public static final String POSTGRES_COCKROACH = "postgres-cockroach";
    public static final String KAFKA = "kafka";
    public static final String TEMPORAL = "temporal";
    /** Optional: started by default; when it runs, the services trace every order and export to it. */
    public static final String ZIPKIN = "zipkin";
    /**
     * Optional ({@code ./txlab up --links}): the link proxy. While it runs, every service reaches its databases,
     * Temporal and the other services through it, and {@code ./txlab fault} can delay, partition or cut each of those
     * links (ADR 21).
     */
    public static final String LINKS = "links";
    public static final String ORDER_SERVICE = "order-service";
    public static final String INVENTORY_SERVICE = "inventory-service";
    public static final String PAYMENT_SERVICE = "payment-service";
    public static final String SAGA_ORCHESTRATOR = "saga-orchestrator";
    public static final String TWOPC_COORDINATOR = "twopc-coordinator";

    /** Selector aliases accepted by {@link #select}: every cluster, every service, all infrastructure. */
    public static final String ALL_POSTGRES = "postgres";
    public static final String ALL_SERVICES = "services";
    public static final String ALL_INFRA = "infra";

    /** The root pom's version, read from {@code version.properties} (filtered by Maven): stated once, there. */
    public static final String PROJECT_VERSION = projectVersion();
    public static final String COCKROACH_BACKEND = "postgresql-serializable-standin";

    private final int portOffset;
    private final Map<String, ComponentSpec> components = new LinkedHashMap<>();
    /** What each service connects to: service → the clusters and servers it opens connections to. */
    private final Map<String, List<String>> reaches = new LinkedHashMap<>();
    /** The database each service owns: component → (cluster, database). */
    private final Map<String, String[]> serviceDatabase = new LinkedHashMap<>();
    /** Each 2PC participant's own port for the protocol ({@code /twopc/*}), which only the coordinator uses (ADR 24). */
    private final Map<String, Integer> internalPorts = new LinkedHashMap<>();

    private Topology(int portOffset) {
        if (portOffset < 0 || portOffset > 40_000) {
            throw new IllegalArgumentException("port offset must be between 0 and 40000: " + portOffset);
        }
        this.portOffset = portOffset;
        postgres(POSTGRES_ORDER, 15431, DatabaseSpec.of("orders"));
        postgres(POSTGRES_INVENTORY, 15432, DatabaseSpec.of("inventory"));
        postgres(POSTGRES_PAYMENT, 15433, DatabaseSpec.of("payment"));
        postgres(POSTGRES_COORDINATOR, 15434, DatabaseSpec.of("coordinator", "postgres_fdw", "dblink"));
        postgres(POSTGRES_COCKROACH, 15435, DatabaseSpec.of("txlab"));
        add(new ComponentSpec(KAFKA, ComponentKind.KAFKA, 19092 + portOffset, List.of(), List.of()));
        add(new ComponentSpec(TEMPORAL, ComponentKind.TEMPORAL, 17233 + portOffset, List.of(), List.of()));
        add(new ComponentSpec(ZIPKIN, ComponentKind.ZIPKIN, 9411 + portOffset, List.of(), List.of()));
        add(new ComponentSpec(LINKS, ComponentKind.LINKS, 16000 + portOffset, List.of(), List.of()));
        service(ORDER_SERVICE, 8081, POSTGRES_ORDER, "orders", List.of(POSTGRES_ORDER, POSTGRES_COCKROACH, KAFKA, TEMPORAL));
        service(INVENTORY_SERVICE, 8082, POSTGRES_INVENTORY, "inventory", List.of(POSTGRES_INVENTORY, KAFKA, TEMPORAL));
        service(PAYMENT_SERVICE, 8083, POSTGRES_PAYMENT, "payment", List.of(POSTGRES_PAYMENT, KAFKA, TEMPORAL));
        service(SAGA_ORCHESTRATOR, 8084, null, null, List.of(TEMPORAL));
        service(TWOPC_COORDINATOR, 8085, POSTGRES_COORDINATOR, "coordinator",
                List.of(POSTGRES_COORDINATOR, POSTGRES_ORDER, POSTGRES_INVENTORY, POSTGRES_PAYMENT));
        internalPorts.put(ORDER_SERVICE, 18081 + portOffset);
        internalPorts.put(INVENTORY_SERVICE, 18082 + portOffset);
        internalPorts.put(PAYMENT_SERVICE, 18083 + portOffset);
        // What each service opens connections to. The coordinator reaches the participants' clusters for its in-doubt
        // monitor (through its own PostgreSQL's foreign servers, which connect to the ports it is given) and the
        // participants themselves over HTTP; the participants reach the coordinator for their own recovery.
        reaches.put(ORDER_SERVICE, List.of(POSTGRES_ORDER, POSTGRES_COCKROACH, TEMPORAL,
                INVENTORY_SERVICE, PAYMENT_SERVICE, TWOPC_COORDINATOR));
        reaches.put(INVENTORY_SERVICE, List.of(POSTGRES_INVENTORY, TEMPORAL, TWOPC_COORDINATOR));
        reaches.put(PAYMENT_SERVICE, List.of(POSTGRES_PAYMENT, TEMPORAL, TWOPC_COORDINATOR));
        reaches.put(SAGA_ORCHESTRATOR, List.of(TEMPORAL));
        reaches.put(TWOPC_COORDINATOR, List.of(POSTGRES_COORDINATOR, POSTGRES_ORDER, POSTGRES_INVENTORY, POSTGRES_PAYMENT,
                ORDER_SERVICE, INVENTORY_SERVICE, PAYMENT_SERVICE));
    }

    /**
     * The links the link proxy carries: every connection a service opens to a PostgreSQL cluster, to Temporal or to
     * another service, and the broker links ({@link #brokerLinks()}).
     */
    public List<io.txlab.devstack.links.LinkSpec> links() {
        List<io.txlab.devstack.links.LinkSpec> links = new ArrayList<>();
        reaches.forEach((service, targets) -> targets.forEach(target ->
                links.add(new io.txlab.devstack.links.LinkSpec(service, target, targetPort(service, target)))));
        brokerLinks().forEach(b -> links.add(new io.txlab.devstack.links.LinkSpec(b.service(), KAFKA, b.brokerPort(),
                b.linkPort())));
        return links;
    }

    /**
     * A service's own way to the broker through the link proxy (ADR 32). Kafka clients connect to the addresses the
     * broker advertises, not to the bootstrap address they were given, so a proxy in front of the bootstrap port alone
     * would carry the first connection only. The broker therefore has one more listener per service, on
     * {@code brokerPort}, which advertises {@code linkPort}: the proxy listens there and forwards to {@code brokerPort},
     * so every connection of a client that bootstrapped through its link stays on it.
     *
     * @param listener the broker's listener name for it, e.g. {@code LINK_ORDER_SERVICE}
     */
    public record BrokerLink(String service, String listener, int brokerPort, int linkPort) {
    }

    /**
     * The services that talk to the broker (those that depend on it), each with its link ({@link BrokerLink}): the
     * broker's port + 2.. and + 5...
     */
    public List<BrokerLink> brokerLinks() {
        int kafka = component(KAFKA).port();
        List<String> clients = ofKind(ComponentKind.SERVICE).stream().filter(s -> s.dependsOn().contains(KAFKA))
                .map(ComponentSpec::name).toList();
        List<BrokerLink> links = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            String service = clients.get(i);
            links.add(new BrokerLink(service, "LINK_" + service.toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
                    kafka + 5 + i, kafka + 2 + i));
        }
        return links;
    }

    /**
     * The port a connection from {@code from} to {@code target} goes to: a participant's internal port when the
     * coordinator calls it (the protocol is served there only), else the target's own port.
     */
    int targetPort(String from, String target) {
        Integer internal = TWOPC_COORDINATOR.equals(from) ? internalPorts.get(target) : null;
        return internal != null ? internal : component(target).port();
    }

    /** The port a 2PC participant serves {@code /twopc/*} on, alone (ADR 24); empty for the other components. */
    public java.util.OptionalInt internalPort(String service) {
        component(service);
        Integer port = internalPorts.get(service);
        return port == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(port);
    }

    /** Where a 2PC participant's protocol endpoints are: its internal port, or its API for the other services. */
    public String internalUrl(String service) {
        return httpUrl(internalPort(service).orElse(component(service).port()));
    }

    /** The documented local ports (offset 0). */
    public static Topology local() {
        return new Topology(0);
    }

    public static Topology withPortOffset(int portOffset) {
        return new Topology(portOffset);
    }

    private void postgres(String name, int port, DatabaseSpec db) {
        add(new ComponentSpec(name, ComponentKind.POSTGRES, port + portOffset, List.of(db), List.of()));
    }

    private void service(String name, int port, String cluster, String database, List<String> dependsOn) {
        add(new ComponentSpec(name, ComponentKind.SERVICE, port + portOffset, List.of(), dependsOn));
        if (cluster != null) {
            serviceDatabase.put(name, new String[] {cluster, database});
        }
    }

    private void add(ComponentSpec spec) {
        components.put(spec.name(), spec);
    }

    public int portOffset() {
        return portOffset;
    }

    /** All components in start order. */
    public List<ComponentSpec> components() {
        return List.copyOf(components.values());
    }

    /**
     * Every fixed port a stack at this offset may bind on 127.0.0.1: each component's own port, the participants'
     * internal ports, the broker's controller port (its port + 1) and both ends of every broker link (the broker's
     * listener, bound whenever the broker runs, and the link proxy's). A test that picks a free offset checks all of them;
     * the link proxy's other links listen on ephemeral ports.
     */
    public java.util.SortedSet<Integer> fixedPorts() {
        java.util.SortedSet<Integer> ports = new java.util.TreeSet<>();
        components.values().forEach(c -> {
            ports.add(c.port());
            internalPort(c.name()).ifPresent(ports::add);
        });
        ports.add(component(KAFKA).port() + 1);
        brokerLinks().forEach(b -> {
            ports.add(b.brokerPort());
            ports.add(b.linkPort());
        });
        return ports;
    }

    public List<ComponentSpec> ofKind(ComponentKind kind) {
        return components.values().stream().filter(c -> c.kind() == kind).toList();
    }

    public List<String> names() {
        return List.copyOf(components.keySet());
    }

    public ComponentSpec component(String name) {
        ComponentSpec spec = components.get(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown component '" + name + "'; known: " + String.join(", ", names()));
        }
        return spec;
    }

    /**
     * The components to start for the given selectors (names or the aliases postgres, services, infra), with
     * everything they depend on, in start order. Empty selectors mean the whole stack.
     */
    public List<ComponentSpec> select(Collection<String> selectors, boolean skipServices) {
        Set<String> wanted = new LinkedHashSet<>();
        if (selectors == null || selectors.isEmpty()) {
            wanted.addAll(components.keySet());
        } else {
            for (String raw : selectors) {
                String selector = raw.trim().toLowerCase(Locale.ROOT);
                switch (selector) {
                    case ALL_POSTGRES -> ofKind(ComponentKind.POSTGRES).forEach(c -> wanted.add(c.name()));
                    case ALL_SERVICES -> ofKind(ComponentKind.SERVICE).forEach(c -> wanted.add(c.name()));
                    case ALL_INFRA -> components.values().stream().filter(c -> c.kind() != ComponentKind.SERVICE)
                            .forEach(c -> wanted.add(c.name()));
                    default -> wanted.add(component(selector).name());
                }
            }
        }
        if (skipServices) {
            wanted.removeIf(n -> components.get(n).kind() == ComponentKind.SERVICE);
        }
        Set<String> closed = new LinkedHashSet<>();
        for (String name : wanted) {
            addWithDependencies(name, closed);
        }
        return components.values().stream().filter(c -> closed.contains(c.name())).toList();
    }

    private void addWithDependencies(String name, Set<String> into) {
        if (into.add(name)) {
            for (String dep : component(name).dependsOn()) {
                addWithDependencies(dep, into);
            }
        }
    }

    /** Groups of components that start in parallel, in order (PostgreSQL, then Kafka + Temporal, then services). */
    public static List<List<ComponentSpec>> waves(List<ComponentSpec> selection) {
        Map<Integer, List<ComponentSpec>> byWave = selection.stream()
                .collect(Collectors.groupingBy(ComponentSpec::wave, java.util.TreeMap::new, Collectors.toList()));
        return new ArrayList<>(byWave.values());
    }

    public String jdbcUrl(String cluster, String database) {
        return jdbcUrl(component(cluster).port(), database);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + component(KAFKA).port();
    }

    public String temporalTarget() {
        return "127.0.0.1:" + component(TEMPORAL).port();
    }

    public String zipkinUrl() {
        return httpUrl(component(ZIPKIN).port());
    }

    /**
     * What a service gets on top of {@link #serviceEnvironment} while Zipkin runs: every order sampled (an incoming
     * {@code traceparent} still decides for its own request) and exported to Zipkin.
     */
    public Map<String, String> tracingEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1.0");
        env.put("TXLAB_TRACING_ZIPKIN_ENDPOINT", zipkinUrl() + "/api/v2/spans");
        // export every second instead of the SDK's 5 s, so a trace is whole in Zipkin soon after its order finished
        env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULEDELAY", "1s");
        return env;
    }

    public String serviceUrl(String service) {
        return httpUrl(component(service).port());
    }

    /** {@code <repo>/<module>/target/<module>-<version>-exec.jar}; the module is named like the component. */
    public static Path serviceJar(Path repo, String service) {
        return repo.resolve(service).resolve("target").resolve(service + "-" + PROJECT_VERSION + "-exec.jar");
    }

    /** The environment a service process gets (see the configuration table in the project brief). */
    public Map<String, String> serviceEnvironment(String service) {
        return serviceEnvironment(service, Map.of());
    }

    /**
     * {@link #serviceEnvironment(String)} with connections going through the link proxy: {@code linkPorts} maps a link
     * name ({@code from>to}, e.g. {@code payment-service>postgres-payment}) to the port it listens on.
     */
    public Map<String, String> serviceEnvironment(String service, Map<String, Integer> linkPorts) {
        java.util.function.BiFunction<String, String, Integer> via = (from, target) ->
                linkPorts.getOrDefault(from + ">" + target, targetPort(from, target));
        java.util.function.Function<String, Integer> port = target -> via.apply(service, target);
        java.util.function.BiFunction<String, String, String> jdbc = (cluster, database) ->
                jdbcUrl(port.apply(cluster), database);
        ComponentSpec spec = component(service);
        if (spec.kind() != ComponentKind.SERVICE) {
            throw new IllegalArgumentException(service + " is not a service");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", Integer.toString(spec.port()));
        // Loopback only, like the databases, the broker and Temporal: the local stack is nobody else's to drive.
        env.put("SERVER_ADDRESS", "127.0.0.1");
        internalPort(service).ifPresent(internal -> env.put("TXLAB_INTERNAL_PORT", Integer.toString(internal)));
        String[] own = serviceDatabase.get(service);
        if (own != null) {
            env.put("SPRING_DATASOURCE_URL", jdbc.apply(own[0], own[1]));
            env.put("SPRING_DATASOURCE_USERNAME", "txlab");
            env.put("SPRING_DATASOURCE_PASSWORD", "txlab");
        }
        // through its broker link while the proxy runs: the broker then advertises the link's port to this client
        Integer brokerLink = linkPorts.get(service + ">" + KAFKA);
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", brokerLink != null ? "127.0.0.1:" + brokerLink : bootstrapServers());
        env.put("TXLAB_TEMPORAL_TARGET", "127.0.0.1:" + port.apply(TEMPORAL));
        env.put("TXLAB_TEMPORAL_NAMESPACE", "default");
        for (ComponentSpec other : ofKind(ComponentKind.SERVICE)) {
            String key = switch (other.name()) {
                case TWOPC_COORDINATOR -> "TXLAB_TWOPC_COORDINATOR_URL";
                case SAGA_ORCHESTRATOR -> "TXLAB_SERVICES_ORCHESTRATOR_URL";
                default -> "TXLAB_SERVICES_" + envName(other.name().replace("-service", "")) + "_URL";
            };
            env.put(key, httpUrl(port.apply(other.name())));
        }
        if (ORDER_SERVICE.equals(service)) {
            // The operator page's actions (compensate, mark resolved; adr/0037): on for the local stack, which listens on
            // loopback only and exists to be experimented with; off by default anywhere else (k8s included).
            env.put("TXLAB_ADMIN_ACTIONS_ENABLED", "true");
            // The participant URLs order-service hands the coordinator are the coordinator's way to each participant
            // (its links, when the proxy runs): the ones on its allow-list (TXLAB_SERVICES_*_URL of the coordinator).
            env.put("TXLAB_TWOPC_SELF_URL", httpUrl(via.apply(TWOPC_COORDINATOR, ORDER_SERVICE)));
            env.put("TXLAB_TWOPC_INVENTORY_URL", httpUrl(via.apply(TWOPC_COORDINATOR, INVENTORY_SERVICE)));
            env.put("TXLAB_TWOPC_PAYMENT_URL", httpUrl(via.apply(TWOPC_COORDINATOR, PAYMENT_SERVICE)));
        }
        env.put("TXLAB_COCKROACH_URL", jdbc.apply(POSTGRES_COCKROACH, "txlab"));
        env.put("TXLAB_COCKROACH_BACKEND", COCKROACH_BACKEND);
        if (TWOPC_COORDINATOR.equals(service)) {
            env.put("TXLAB_TWOPC_MONITOR_ORDER_URL", jdbc.apply(POSTGRES_ORDER, "orders"));
            env.put("TXLAB_TWOPC_MONITOR_INVENTORY_URL", jdbc.apply(POSTGRES_INVENTORY, "inventory"));
            env.put("TXLAB_TWOPC_MONITOR_PAYMENT_URL", jdbc.apply(POSTGRES_PAYMENT, "payment"));
        }
        for (ComponentSpec pg : ofKind(ComponentKind.POSTGRES)) {
            env.put("TXLAB_POSTGRES_" + envName(pg.name().substring("postgres-".length())) + "_PORT",
                    Integer.toString(port.apply(pg.name())));
        }
        return env;
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static String httpUrl(int port) {
        return "http://127.0.0.1:" + port;
    }

    private static String envName(String s) {
        return s.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String projectVersion() {
        Properties properties = new Properties();
        try (InputStream in = Topology.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("io/txlab/devstack/version.properties is missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("version", "");
        if (version.isBlank() || version.startsWith("@")) {
            throw new IllegalStateException("version.properties was not filtered by Maven: '" + version + "'");
        }
        return version;
    }
}

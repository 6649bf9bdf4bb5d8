package io.txlab.systemtests.support;

import io.txlab.devstack.Topology;
import io.txlab.devstack.links.Fault;
import io.txlab.devstack.stack.Stack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole txlab stack — every PostgreSQL cluster, the Kafka broker, the Temporal server, Zipkin and the five
 * services from their executable jars — started once per test JVM through the devstack, exactly as
 * {@code ./txlab up} starts it, on ports shifted by {@link #PORT_OFFSET} so a developer's own stack keeps running beside it.
 *
 * <p>Stopped (by PID) when the JVM exits. End-to-end tests share it: each test places its own orders, so tests stay
 * independent without restarting anything between them.
 */
public final class SystemStack {

    /**
     * First offset tried for every devstack port ({@code ./txlab up} uses 0, the compare smoke test 310); when a port
     * of that layout is taken (another test run on the same machine), the next multiple of 100 is tried.
     * {@code -Dtxlab.systemtests.portOffset=N} forces one.
     */
    public static final int PORT_OFFSET = 300;

    private static SystemStack instance;

    private final Stack stack;
    private final OrdersClient orders;

    private SystemStack(Stack stack) {
        this.stack = stack;
        this.orders = new OrdersClient(stack.topology().serviceUrl(Topology.ORDER_SERVICE));
    }

    /** The running stack, started on first use. */
    public static synchronized SystemStack get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static SystemStack start() {
        Path repo = repositoryRoot();
        for (String service : List.of(Topology.ORDER_SERVICE, Topology.INVENTORY_SERVICE, Topology.PAYMENT_SERVICE,
                Topology.SAGA_ORCHESTRATOR, Topology.TWOPC_COORDINATOR)) {
            Path jar = Topology.serviceJar(repo, service);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: system tests run the services' executable jars; "
                        + "build them first (./mvnw verify builds them before this module)");
            }
        }
        Path runDir = repo.resolve("system-tests/target/system-stack-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrintStream progress = System.out;
        Stack stack = new Stack(Topology.withPortOffset(freeOffset()), runDir, repo, progress);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::down, "system-stack-down"));
        // With Zipkin, as ./txlab up by default: every end-to-end test runs with tracing on (sampled, exported). With
        // the link proxy, as ./txlab up --links: every service reaches its databases, Temporal and the other services through it, so
        // every test also shows the proxy is transparent, and the network-fault tests can partition or slow a link.
        stack.up(List.of(), false, true, true);
        return new SystemStack(stack);
    }

    private static int freeOffset() {
        String forced = System.getProperty("txlab.systemtests.portOffset");
        if (forced != null) {
            return Integer.parseInt(forced);
        }
        for (int offset = PORT_OFFSET; offset < PORT_OFFSET + 1000; offset += 100) {
            Topology candidate = Topology.withPortOffset(offset);
            boolean free = candidate.fixedPorts().stream().allMatch(SystemStack::portFree);
            if (free) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port layout between offsets " + PORT_OFFSET + " and "
                + (PORT_OFFSET + 900) + " on 127.0.0.1");
    }

    private static boolean portFree(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Walks up from the working directory (Maven runs tests in the module folder) to the repository root. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("devstack"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("cannot find the txlab repository root above " + Path.of("").toAbsolutePath());
    }

    public OrdersClient orders() {
        return orders;
    }

    public Topology topology() {
        return stack.topology();
    }

    /** Zipkin's base URL (its API: {@code /api/v2/trace/{traceId}}). */
    public String zipkinUrl() {
        return stack.topology().zipkinUrl();
    }

    /** Base URL of a service, e.g. {@code http://127.0.0.1:8385}. */
    public String url(String service) {
        return stack.topology().serviceUrl(service);
    }

    /** A 2PC participant's protocol port (ADR 24): the only port its {@code /twopc/*} endpoints answer on. */
    public String internalUrl(String service) {
        return stack.topology().internalUrl(service);
    }

    /** A JDBC connection as the application role to a database of one of the clusters (caller closes it). */
    public Connection jdbc(String cluster, String database) {
        try {
            return DriverManager.getConnection(stack.topology().jdbcUrl(cluster, database), "txlab", "txlab");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + cluster + "/" + database + ": " + e.getMessage(), e);
        }
    }

    /** The single number a query returns, e.g. a count or a stock level. */
    public long queryLong(String cluster, String database, String sql, Object... params) {
        try (Connection c = jdbc(cluster, database); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row from " + sql);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The secret the stack's services sign internal (2PC protocol) requests with. */
    public String internalSecret() {
        return stack.internalSecret();
    }

    /**
     * Applies a network fault to the link {@code from>to} (e.g. payment-service>postgres-payment); {@link Fault#NONE}
     * heals it. Tests that use it heal in a {@code finally}.
     */
    public void fault(String from, String to, Fault fault) {
        stack.links().set(from, to, fault);
    }

    /** SIGKILL, like a pod kill; returns the epoch millisecond of the kill. */
    public long kill(String component) {
        return stack.kill(component);
    }

    /** Starts the component again (stopping it first if it runs) and waits until it is healthy. */
    public Duration restart(String component) {
        return stack.restart(component);
    }

    /** Restarts a service with extra environment, e.g. the {@code chaos} profile and a crash point to arm. */
    public Duration restart(String component, Map<String, String> extraEnvironment) {
        return stack.restart(component, extraEnvironment);
    }

    /** Whether the component's process is alive (e.g. after it halted itself at a crash point). */
    public boolean isAlive(String component) {
        return stack.launcher(component).pid().stream().anyMatch(pid -> ProcessHandle.of(pid)
                .map(ProcessHandle::isAlive).orElse(false));
    }

    /** The log file of a component, for assertion messages. */
    public Path logFile(String component) {
        return stack.launcher(component).logFile();
    }
}

package io.txlab.devstack.cli;

import io.txlab.devstack.Topology;
import io.txlab.devstack.process.ProcessControl;
import io.txlab.devstack.stack.StackState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI end to end: up (infrastructure only) → status → kill → restart → data intact → down leaves nothing. */
class DevstackCliIT {

    private final Path repo = Path.of("").toAbsolutePath().getParent();
    private Path runDir;
    private int offset;

    private String[] args(String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of("--run-dir", runDir.toString(), "--repo", repo.toString()));
        if (command[0].equals("up")) {
            all.addAll(List.of("--port-offset", Integer.toString(offset)));
        }
        return all.toArray(String[]::new);
    }

    private record Result(int code, String out, String err) {
    }

    private Result cli(String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DevstackCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args(command));
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("$ txlab " + String.join(" ", command) + " → " + code + "\n" + r.out + r.err);
        return r;
    }

    @AfterEach
    void alwaysDown() {
        if (runDir != null) {
            cli("down");
            deleteTree(runDir);
        }
    }

    @Test
    void upStatusKillRestartDown() throws Exception {
        newStack("it-cli-");

        Result up = cli("up", "--skip-services");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("postgres-payment ready (pid").contains("kafka ready").contains("temporal ready");

        assertThat(cli("status").code()).isZero();
        assertThat(cli("up", "--skip-services").err()).contains("stack already running");

        Topology topology = Topology.withPortOffset(offset);
        String paymentUrl = topology.jdbcUrl(Topology.POSTGRES_PAYMENT, "payment");
        try (Connection c = DriverManager.getConnection(paymentUrl, "txlab", "txlab"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE survivor (id int PRIMARY KEY)");
            s.execute("INSERT INTO survivor VALUES (42)");
        }

        Result kill = cli("kill", "postgres-payment");
        assertThat(kill.code()).isZero();
        assertThat(kill.out()).containsPattern("killed postgres-payment \\(pid \\d+\\) at \\d{13} epoch ms");
        Result degraded = cli("status");
        assertThat(degraded.code()).isEqualTo(1);
        assertThat(degraded.out()).containsPattern("postgres-payment\\s+\\d+\\s+\\d+\\s+no\\s+DOWN");

        Result restart = cli("restart", "postgres-payment");
        assertThat(restart.code()).as(restart.err()).isZero();
        assertThat(restart.out()).containsPattern("postgres-payment healthy after \\d+\\.\\d{3} s");
        try (Connection c = DriverManager.getConnection(paymentUrl, "txlab", "txlab"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM survivor")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertThat(cli("status").code()).isZero();

        // a graceful stop of one component leaves the rest running; restart brings it back with its data
        Result stop = cli("stop", "postgres-payment");
        assertThat(stop.code()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("postgres-payment stopped");
        Result stopped = cli("status");
        assertThat(stopped.code()).isEqualTo(1);
        assertThat(stopped.out()).containsPattern("postgres-payment\\s+\\d+\\s+\\d+\\s+no\\s+DOWN")
                .containsPattern("postgres-order\\s+\\d+\\s+\\d+\\s+yes\\s+UP");
        assertThat(cli("restart", "postgres-payment").code()).isZero();
        assertThat(cli("status").code()).isZero();

        List<Long> pids = new ArrayList<>();
        StackState.read(runDir.resolve("stack.json")).orElseThrow().components().values()
                .forEach(e -> {
                    pids.add(e.pid());
                    pids.addAll(ProcessControl.descendants(e.pid()));
                });
        assertThat(pids).hasSizeGreaterThanOrEqualTo(7);

        assertThat(cli("down").code()).isZero();
        for (long pid : pids) {
            assertThat(ProcessControl.waitForExit(pid, Duration.ofSeconds(10))).as("pid %d gone", pid).isTrue();
        }
        assertThat(runDir.resolve("stack.json")).doesNotExist();
    }

    @Test
    void linksCarryAServiceDatabaseConnectionAndTakeEveryFault() throws Exception {
        newStack("it-links-");

        Result withoutLinks = cli("fault", "list");
        assertThat(withoutLinks.code()).isEqualTo(1);
        assertThat(withoutLinks.err()).contains("./txlab up --links");

        Result up = cli("up", "--only", "postgres-payment", "--links");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("links ready (pid");
        Result list = cli("fault", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("payment-service>postgres-payment\\s+\\d+\\s+" + (15433 + offset) + "\\s+none");

        Path portsFile = runDir.resolve("links").resolve("links.json");
        int port = io.txlab.devstack.links.LinksServerMain.PortsFile.read(portsFile).orElseThrow()
                .port("payment-service", "postgres-payment").orElseThrow();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/payment?socketTimeout=2&connectTimeout=2";
        try (Connection c = DriverManager.getConnection(url, "txlab", "txlab")) {
            assertThat(selectOne(c)).isEqualTo(1);

            assertThat(cli("fault", "delay", "payment-service", "postgres-payment", "400").code()).isZero();
            long t0 = System.nanoTime();
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

            Result partition = cli("fault", "partition", "payment-service", "postgres-payment");
            assertThat(partition.code()).isZero();
            assertThat(partition.out()).contains("partition");
            // packets dropped: the query neither answers nor fails fast, the driver's own socket timeout ends it
            long t1 = System.nanoTime();
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(java.sql.SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        }
        assertThat(cli("fault", "heal", "payment-service", "postgres-payment").code()).isZero();
        try (Connection c = DriverManager.getConnection(url, "txlab", "txlab")) {
            assertThat(selectOne(c)).isEqualTo(1);
            assertThat(cli("fault", "cut", "payment-service", "postgres-payment").code()).isZero();
            assertThatThrownBy(() -> selectOne(c)).isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(url, "txlab", "txlab"))
                    .isInstanceOf(java.sql.SQLException.class);
        }
        assertThat(cli("fault", "heal").out()).contains("every link healed");

        // a restarted proxy binds the ports it had, so services started before it find their links again
        assertThat(cli("kill", "links").code()).isZero();
        assertThat(cli("restart", "links").code()).isZero();
        try (Connection c = DriverManager.getConnection(url, "txlab", "txlab")) {
            assertThat(selectOne(c)).isEqualTo(1);
        }

        Result unknown = cli("fault", "partition", "payment-service", "postgres-order");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("no link payment-service>postgres-order");
        assertThat(cli("fault", "delay", "payment-service", "postgres-payment", "soon").err())
                .contains("whole number of milliseconds");
        assertThat(cli("fault", "jitter", "payment-service", "postgres-payment").err()).contains("unknown fault action");
    }

    /** A fresh run directory and a free port layout for this test's stack. */
    private void newStack(String prefix) throws IOException {
        runDir = Files.createDirectories(Path.of("target", prefix + System.nanoTime()).toAbsolutePath());
        Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        offset = freeOffset();
    }

    private static int selectOne(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** A port offset at which every fixed port of the topology is free ({@link Topology#fixedPorts()}). */
    private static int freeOffset() {
        for (int attempt = 0; attempt < 100; attempt++) {
            // every port below 32768, where Linux takes ephemeral ports for outgoing connections: a port free when
            // checked here could otherwise be taken by any client socket before the component binds it
            int candidate = 2_000 + ThreadLocalRandom.current().nextInt(0, 11_000);
            Topology t = Topology.withPortOffset(candidate);
            boolean free = t.fixedPorts().stream().allMatch(DevstackCliIT::isFree);
            if (free) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port offset");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leftovers under target/ are removed by mvn clean
        }
    }
}

package io.txlab.loadtests.twopc;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.postgres.DatabaseSpec;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.devstack.process.ProcStat;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 2PC cost benchmark: on separate local PostgreSQL clusters started with the devstack launcher, a single local
 * transaction versus two-phase commit over 2, 3 and 5 participants, at a few concurrency levels; then a coordinator
 * crash between prepare and commit and how long the participants' rows stay locked.
 *
 * <p>Every transaction, local or distributed, does the same work on each database it touches: insert one row and
 * one guarded update ({@code available = available - 1 WHERE id = ? AND available > 0}) of a random row out of
 * 10,000. A 2PC transaction mirrors what {@code twopc-coordinator} does over plain JDBC (no HTTP, so the figures
 * are the protocol's cost, not our web stack's): log BEGUN in the coordinator cluster (synchronous_commit off), work
 * + {@code PREPARE TRANSACTION} on every participant in parallel threads, force the COMMIT decision (synchronous_commit
 * on), {@code COMMIT PREPARED} on every participant in parallel, log completion (off). All clusters run with fsync
 * on and synchronous_commit on. Run with {@code ./txlab twopc-bench}; {@code ./txlab compare --full} runs it too.
 */
@Command(name = "twopc-bench", mixinStandardHelpOptions = true,
        description = "Measures the 2PC tax: local transaction vs 2PC over N PostgreSQL clusters, plus a coordinator crash.")
public class TwopcBenchmark implements Callable<Integer> {

    private static final int ROWS = 10_000;

    @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out = Path.of("report/twopc-bench");
    @Option(names = "--run-dir", description = "cluster data folder, wiped at start (default: ${DEFAULT-VALUE})")
    Path runDir = Path.of("load-tests/target/twopc-bench-run");
    @Option(names = "--warmup", description = "warm-up per measurement, excluded (default: ${DEFAULT-VALUE})")
    Duration warmup = Duration.ofSeconds(2);
    @Option(names = "--duration", description = "measured time per measurement (default: ${DEFAULT-VALUE})")
    Duration duration = Duration.ofSeconds(5);
    @Option(names = "--concurrency", split = ",", description = "client threads (default: ${DEFAULT-VALUE})")
    List<Integer> concurrency = List.of(1, 4, 16);
    @Option(names = "--participants", split = ",", description = "2PC participant counts (default: ${DEFAULT-VALUE})")
    List<Integer> participants = List.of(2, 3, 5);
    @Option(names = "--crash-downtime", description = "how long the crashed coordinator stays away (default: ${DEFAULT-VALUE})")
    Duration crashDowntime = Duration.ofSeconds(2);
    @Option(names = "--prepare-timeout", description = "recovery aborts undecided transactions this old, like txlab.twopc.prepare-timeout (default: ${DEFAULT-VALUE})")
    Duration prepareTimeout = Duration.ofSeconds(10);
    @Option(names = "--recovery-interval", description = "recovery pass period, like txlab.twopc.recovery-interval (default: ${DEFAULT-VALUE})")
    Duration recoveryInterval = Duration.ofSeconds(2);
    @Option(names = "--quick", description = "seconds instead of minutes: 0.5 s warm-up, 1.5 s measured, 1 s downtime, 2 s prepare timeout, 0.5 s recovery interval")
    boolean quick;

    private final List<PostgresCluster> clusters = new ArrayList<>();
    private PostgresCluster coordinatorCluster;
    private final List<PostgresCluster> participantClusters = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new TwopcBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            warmup = Duration.ofMillis(500);
            duration = Duration.ofMillis(1500);
            crashDowntime = Duration.ofSeconds(1);
            prepareTimeout = Duration.ofSeconds(2);
            recoveryInterval = Duration.ofMillis(500);
        }
        int maxParticipants = participants.stream().max(Integer::compare).orElse(0);
        Thread cleanup = new Thread(this::stopClusters, "twopc-bench-stop");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            startClusters(Math.max(3, maxParticipants));
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("command", "./txlab twopc-bench" + (quick ? " --quick" : ""));
            report.put("at", Instant.now().toString());
            report.put("machine", machine());
            report.put("settings", Map.of("warmupMs", warmup.toMillis(), "durationMs", duration.toMillis(),
                    "rowsPerTable", ROWS, "fsync", "on", "synchronous_commit", "on"));
            List<Map<String, Object>> runs = new ArrayList<>();
            for (int c : concurrency) {
                Map<String, Object> local = measure(0, c);
                runs.add(local);
                for (int n : participants) {
                    Map<String, Object> twopc = measure(n, c);
                    twopc.put("taxP50", ratio(twopc.get("p50Ms"), local.get("p50Ms")));
                    twopc.put("taxP99", ratio(twopc.get("p99Ms"), local.get("p99Ms")));
                    twopc.put("throughputRatio", ratio(twopc.get("throughputPerSec"), local.get("throughputPerSec")));
                    twopc.put("cpuTax", ratio(twopc.get("cpuMsPerTx"), local.get("cpuMsPerTx")));
                    runs.add(twopc);
                }
            }
            report.put("runs", runs);
            report.put("crash", List.of(crash(false), crash(true)));
            write(report);
            return 0;
        } finally {
            stopClusters();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    // ---------------------------------------------------------------- clusters

    private void startClusters(int participantCount) throws IOException, SQLException {
        deleteRecursively(runDir);
        Files.createDirectories(runDir);
        coordinatorCluster = cluster("bench-coordinator", "coordinator");
        for (int i = 1; i <= participantCount; i++) {
            participantClusters.add(cluster("bench-participant-" + i, "participant"));
        }
        try (Connection c = coordinatorConnection(true); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_decision (gid text PRIMARY KEY, state text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), decided_at timestamptz, completed_at timestamptz)");
        }
        for (PostgresCluster p : participantClusters) {
            try (Connection c = participantConnection(p); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bench_item (id int PRIMARY KEY, available bigint NOT NULL)");
                s.execute("INSERT INTO bench_item SELECT g, 1000000000 FROM generate_series(0, " + ROWS + ") g");
                s.execute("CREATE TABLE bench_log (id bigserial PRIMARY KEY, gid text, created_at timestamptz NOT NULL DEFAULT now())");
                s.execute("VACUUM ANALYZE bench_item");
            }
        }
    }

    private PostgresCluster cluster(String name, String database) throws IOException {
        PostgresCluster cluster = new PostgresCluster(name, ComponentPaths.in(runDir.toAbsolutePath(), name), freePort(),
                List.of(DatabaseSpec.of(database)));
        clusters.add(cluster);
        cluster.start();
        return cluster;
    }

    private synchronized void stopClusters() {
        for (PostgresCluster cluster : clusters) {
            try {
                cluster.stop();
            } catch (RuntimeException e) {
                System.err.println("could not stop " + cluster.name() + ": " + e);
            }
        }
        clusters.clear();
    }

    private Connection coordinatorConnection(boolean synchronousCommit) throws SQLException {
        Connection c = DriverManager.getConnection(coordinatorCluster.jdbcUrl("coordinator"),
                PostgresCluster.APP_USER, PostgresCluster.APP_PASSWORD);
        try (Statement s = c.createStatement()) {
            s.execute("SET synchronous_commit = " + (synchronousCommit ? "on" : "off"));
        }
        return c;
    }

    private static Connection participantConnection(PostgresCluster cluster) throws SQLException {
        return DriverManager.getConnection(cluster.jdbcUrl("participant"), PostgresCluster.APP_USER,
                PostgresCluster.APP_PASSWORD);
    }

    // ---------------------------------------------------------------- one transaction

    /** One database's share of the work, on a connection in manual-commit mode. */
    private static final class Branch implements AutoCloseable {
        final Connection connection;
        final PreparedStatement insert;
        final PreparedStatement update;
        final Statement statement;

        Branch(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
            insert = connection.prepareStatement("INSERT INTO bench_log (gid) VALUES (?)");
            update = connection.prepareStatement("UPDATE bench_item SET available = available - 1 WHERE id = ? AND available > 0");
            statement = connection.createStatement();
        }

        void work(String gid, int row) throws SQLException {
            insert.setString(1, gid);
            insert.executeUpdate();
            update.setInt(1, row);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("guarded update refused");
            }
        }

        void prepare(String branchGid) throws SQLException {
            statement.execute("PREPARE TRANSACTION '" + branchGid + "'");
            // The session is idle now; PgJDBC knows it and this commit sends nothing.
            connection.commit();
        }

        void commitPrepared(String branchGid) throws SQLException {
            // COMMIT PREPARED cannot run inside a transaction block: autocommit for this one statement.
            connection.setAutoCommit(true);
            statement.execute("COMMIT PREPARED '" + branchGid + "'");
            connection.setAutoCommit(false);
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** One client thread's connections: the participants' and the coordinator log's. */
    private final class Client implements AutoCloseable {
        final List<Branch> branches = new ArrayList<>();
        final Connection lazyLog;
        final Connection forcedLog;
        final PreparedStatement begun;
        final PreparedStatement decide;
        final PreparedStatement done;
        final ExecutorService parallel;

        Client(int participantCount, ExecutorService parallel) throws SQLException {
            this.parallel = parallel;
            for (int i = 0; i < Math.max(1, participantCount); i++) {
                branches.add(new Branch(participantConnection(participantClusters.get(i))));
            }
            lazyLog = coordinatorConnection(false);
            forcedLog = coordinatorConnection(true);
            begun = lazyLog.prepareStatement("INSERT INTO bench_decision (gid, state) VALUES (?, 'BEGUN')");
            decide = forcedLog.prepareStatement(
                    "UPDATE bench_decision SET state = 'COMMITTING', decided_at = now() WHERE gid = ? AND state = 'BEGUN'");
            done = lazyLog.prepareStatement(
                    "UPDATE bench_decision SET state = 'COMMITTED', completed_at = now() WHERE gid = ?");
        }

        void local() throws SQLException {
            Branch b = branches.get(0);
            b.work("local", ThreadLocalRandom.current().nextInt(1, ROWS + 1));
            b.connection.commit();
        }

        void twoPhase() throws Exception {
            String gid = "txlab_" + UUID.randomUUID();
            begun.setString(1, gid);
            begun.executeUpdate();
            forEachBranch(i -> {
                Branch b = branches.get(i);
                b.work(gid, ThreadLocalRandom.current().nextInt(1, ROWS + 1));
                b.prepare(gid + ".p" + (i + 1));
            });
            decide.setString(1, gid);
            if (decide.executeUpdate() != 1) {
                throw new IllegalStateException("decision refused for " + gid);
            }
            forEachBranch(i -> branches.get(i).commitPrepared(gid + ".p" + (i + 1)));
            done.setString(1, gid);
            done.executeUpdate();
        }

        /** Runs the step for every branch: branch 0 on this thread, the others in parallel on the pool. */
        private void forEachBranch(BranchStep step) throws Exception {
            List<Future<Object>> others = new ArrayList<>();
            for (int i = 1; i < branches.size(); i++) {
                int index = i;
                others.add(parallel.submit(() -> {
                    step.run(index);
                    return null;
                }));
            }
            step.run(0);
            for (Future<Object> f : others) {
                f.get();
            }
        }

        @Override
        public void close() throws SQLException {
            for (Branch b : branches) {
                b.close();
            }
            lazyLog.close();
            forcedLog.close();
        }
    }

    @FunctionalInterface
    private interface BranchStep {
        void run(int index) throws Exception;
    }

    // ---------------------------------------------------------------- measurement

    private Map<String, Object> measure(int participantCount, int threads) throws Exception {
        String name = participantCount == 0 ? "local" : "2pc-" + participantCount;
        ExecutorService parallel = Executors.newFixedThreadPool(Math.max(1, threads * Math.max(1, participantCount - 1)));
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        List<Client> clients = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                clients.add(new Client(participantCount, parallel));
            }
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long measureTo = measureFrom + duration.toNanos();
            List<Future<Histogram>> results = new ArrayList<>();
            for (Client client : clients) {
                results.add(workers.submit(() -> {
                    Histogram h = new Histogram(60_000_000L, 3);
                    long now = System.nanoTime();
                    while (now < measureTo) {
                        long began = now;
                        if (participantCount == 0) {
                            client.local();
                        } else {
                            client.twoPhase();
                        }
                        now = System.nanoTime();
                        if (began >= measureFrom && now <= measureTo) {
                            h.recordValue((now - began) / 1_000);
                        }
                    }
                    return h;
                }));
            }
            // CPU over the measured window: every cluster's process tree (postmaster, backends, WAL writer, ...) and this
            // JVM (the clients and the coordinator's part)
            sleepUntil(measureFrom);
            long cpuFrom = cpuTicks();
            sleepUntil(measureTo);
            long cpuTo = cpuTicks();
            Histogram all = new Histogram(60_000_000L, 3);
            for (Future<Histogram> f : results) {
                all.add(f.get());
            }
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("scenario", name);
            run.put("participants", participantCount == 0 ? 1 : participantCount);
            run.put("concurrency", threads);
            run.put("transactions", all.getTotalCount());
            run.put("throughputPerSec", round(all.getTotalCount() / (duration.toNanos() / 1e9)));
            run.put("p50Ms", ms(all.getValueAtPercentile(50)));
            run.put("p95Ms", ms(all.getValueAtPercentile(95)));
            run.put("p99Ms", ms(all.getValueAtPercentile(99)));
            run.put("maxMs", ms(all.getMaxValue()));
            run.put("cpuMsPerTx", all.getTotalCount() == 0 ? null
                    : round((cpuTo - cpuFrom) * 1000.0 / ProcStat.TICKS_PER_SECOND / all.getTotalCount()));
            System.out.printf("%-6s c=%-3d n=%-6d %8.1f tx/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  CPU %s ms/tx%n", name,
                    threads, all.getTotalCount(), (double) run.get("throughputPerSec"), (double) run.get("p50Ms"),
                    (double) run.get("p95Ms"), (double) run.get("p99Ms"), run.get("cpuMsPerTx"));
            return run;
        } finally {
            for (Client c : clients) {
                c.close();
            }
            workers.shutdownNow();
            parallel.shutdownNow();
        }
    }

    /** CPU ticks so far of every cluster's process tree and of this JVM. */
    private long cpuTicks() {
        ProcStat.Snapshot now = ProcStat.snapshot();
        long ticks = now.ownTicks(ProcessHandle.current().pid());
        for (PostgresCluster c : clusters) {
            ticks += c.pid().isPresent() ? now.treeTicks(c.pid().getAsLong()) : 0;
        }
        return ticks;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    // ---------------------------------------------------------------- crash between prepare and commit

    /**
     * Prepares a transaction on three participants, each updating the same hot row, then "kills" the coordinator
     * (stops driving it). A competing UPDATE of that row on participant 1 blocks on the prepared transaction's row
     * lock. The coordinator "restarts" after {@code crashDowntime} and runs recovery passes every
     * {@code recoveryInterval} with the coordinator's rules: a decided transaction is completed at once; an undecided
     * one is aborted once it is older than {@code prepareTimeout}.
     */
    private Map<String, Object> crash(boolean decisionLogged) throws Exception {
        String gid = "txlab_" + UUID.randomUUID();
        List<Branch> branches = new ArrayList<>();
        try (Connection lazyLog = coordinatorConnection(false); Connection forcedLog = coordinatorConnection(true)) {
            for (int i = 0; i < 3; i++) {
                branches.add(new Branch(participantConnection(participantClusters.get(i))));
            }
            try (PreparedStatement begun = lazyLog.prepareStatement("INSERT INTO bench_decision (gid, state) VALUES (?, 'BEGUN')")) {
                begun.setString(1, gid);
                begun.executeUpdate();
            }
            for (int i = 0; i < 3; i++) {
                branches.get(i).work(gid, 0);
                branches.get(i).prepare(gid + ".p" + (i + 1));
            }
            if (decisionLogged) {
                try (PreparedStatement decide = forcedLog.prepareStatement(
                        "UPDATE bench_decision SET state = 'COMMITTING', decided_at = now() WHERE gid = ?")) {
                    decide.setString(1, gid);
                    decide.executeUpdate();
                }
            }
            long crashedAt = System.nanoTime();

            ExecutorService competitor = Executors.newSingleThreadExecutor();
            Future<Long> unblockedAt = competitor.submit(() -> {
                try (Connection c = participantConnection(participantClusters.get(0)); Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE bench_item SET available = available - 1 WHERE id = 0");
                }
                return System.nanoTime();
            });

            Thread.sleep(crashDowntime.toMillis());
            long restartedAt = System.nanoTime();
            long resolvedAt;
            long passStartedAt;
            while (true) {
                passStartedAt = System.nanoTime();
                if (recoveryPass(lazyLog, gid, branches)) {
                    resolvedAt = System.nanoTime();
                    break;
                }
                Thread.sleep(recoveryInterval.toMillis());
            }
            long unblocked = unblockedAt.get();
            competitor.shutdownNow();

            Map<String, Object> result = new LinkedHashMap<>();
            result.put("scenario", decisionLogged ? "crash after COMMIT decision logged" : "crash before decision");
            result.put("participants", 3);
            result.put("coordinatorDowntimeMs", crashDowntime.toMillis());
            result.put("prepareTimeoutMs", prepareTimeout.toMillis());
            result.put("recoveryIntervalMs", recoveryInterval.toMillis());
            result.put("competingUpdateBlockedMs", ms((unblocked - crashedAt) / 1_000));
            result.put("restartToResolvedMs", ms((resolvedAt - restartedAt) / 1_000));
            result.put("resolvingPassMs", ms((resolvedAt - passStartedAt) / 1_000));
            result.put("outcome", decisionLogged ? "COMMIT" : "ABORT");
            System.out.printf("crash (%s): competing update blocked %.0f ms, restart to resolved %.0f ms, resolving pass %.1f ms%n",
                    result.get("scenario"), (double) result.get("competingUpdateBlockedMs"),
                    (double) result.get("restartToResolvedMs"), (double) result.get("resolvingPassMs"));
            return result;
        } finally {
            for (Branch b : branches) {
                b.close();
            }
        }
    }

    /** The coordinator's recovery rules for one gid; true when the transaction was resolved on every participant. */
    private boolean recoveryPass(Connection log, String gid, List<Branch> branches) throws SQLException {
        String state;
        try (PreparedStatement q = log.prepareStatement(
                "SELECT state, now() - created_at > make_interval(secs => ?) FROM bench_decision WHERE gid = ?")) {
            q.setDouble(1, prepareTimeout.toMillis() / 1000.0);
            q.setString(2, gid);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                state = rs.getString(1);
                if (state.equals("BEGUN")) {
                    if (!rs.getBoolean(2)) {
                        return false;
                    }
                    state = "ABORTING";
                }
            }
        }
        for (int i = 0; i < branches.size(); i++) {
            Branch b = branches.get(i);
            b.connection.setAutoCommit(true);
            try (Statement s = b.connection.createStatement()) {
                s.execute((state.equals("COMMITTING") ? "COMMIT" : "ROLLBACK") + " PREPARED '" + gid + ".p" + (i + 1) + "'");
            }
        }
        try (PreparedStatement u = log.prepareStatement("UPDATE bench_decision SET state = ? WHERE gid = ?")) {
            u.setString(1, state.equals("COMMITTING") ? "COMMITTED" : "ABORTED");
            u.setString(2, gid);
            u.executeUpdate();
        }
        return true;
    }

    // ---------------------------------------------------------------- report

    private Map<String, Object> machine() throws SQLException, IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        String memKb = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
        m.put("ramGb", memKb == null ? null : round(Long.parseLong(memKb.replaceAll("\\D", "")) / 1024.0 / 1024.0));
        String pretty = null;
        if (Files.exists(Path.of("/etc/os-release"))) {
            pretty = Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME="))
                    .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")).findFirst().orElse(null);
        }
        m.put("os", (pretty == null ? System.getProperty("os.name") : pretty) + " (kernel " + System.getProperty("os.version")
                + ", " + System.getProperty("os.arch") + ")");
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        try (Connection c = participantConnection(participantClusters.get(0)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version()")) {
            rs.next();
            m.put("postgresql", rs.getString(1));
        }
        m.put("clusters", (participantClusters.size() + 1) + " separate PostgreSQL clusters on this machine (fsync on, "
                + "synchronous_commit on), loopback TCP");
        return m;
    }

    @SuppressWarnings("unchecked")
    private void write(Map<String, Object> report) throws IOException {
        Files.createDirectories(out);
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(out.resolve("twopc-bench.json"), json.writeValueAsString(report));
        StringBuilder md = new StringBuilder("# 2PC cost benchmark\n\n");
        md.append("Command: `").append(report.get("command")).append("` at ").append(report.get("at")).append("\n\n");
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nWarm-up ").append(warmup.toMillis()).append(" ms excluded, ").append(duration.toMillis())
                .append(" ms measured per row. Tax = 2PC / local at the same concurrency. CPU per transaction: every "
                + "cluster's processes and this benchmark's JVM (clients and coordinator) over the measured time.\n\n");
        md.append("| scenario | participants | concurrency | tx/s | p50 ms | p95 ms | p99 ms | tax p50 | tax p99 | throughput vs local | CPU ms/tx | CPU tax |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> r : (List<Map<String, Object>>) report.get("runs")) {
            md.append(String.format("| %s | %s | %s | %.0f | %.2f | %.2f | %.2f | %s | %s | %s | %s | %s |%n", r.get("scenario"),
                    r.get("participants"), r.get("concurrency"), (double) r.get("throughputPerSec"), (double) r.get("p50Ms"),
                    (double) r.get("p95Ms"), (double) r.get("p99Ms"), fmt(r.get("taxP50")), fmt(r.get("taxP99")),
                    fmt(r.get("throughputRatio")), r.get("cpuMsPerTx") == null ? "" : r.get("cpuMsPerTx"), fmt(r.get("cpuTax"))));
        }
        md.append("\n| crash scenario (3 participants) | downtime ms | prepare timeout ms | recovery interval ms | competing UPDATE blocked ms | restart → resolved ms | resolving pass ms |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, Object> c : (List<Map<String, Object>>) report.get("crash")) {
            md.append(String.format("| %s | %s | %s | %s | %.0f | %.0f | %.1f |%n", c.get("scenario"),
                    c.get("coordinatorDowntimeMs"), c.get("prepareTimeoutMs"), c.get("recoveryIntervalMs"),
                    (double) c.get("competingUpdateBlockedMs"), (double) c.get("restartToResolvedMs"),
                    (double) c.get("resolvingPassMs")));
        }
        Files.writeString(out.resolve("twopc-bench.md"), md.toString());
        System.out.println();
        System.out.print(md);
        System.out.println("\nwritten to " + out.toAbsolutePath());
    }

    private static String fmt(Object ratio) {
        return ratio == null ? "" : String.format("%.2fx", (double) ratio);
    }

    private static Double ratio(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        double denominator = ((Number) b).doubleValue();
        return denominator == 0 ? null : round(((Number) a).doubleValue() / denominator);
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String firstMatch(Path file, String key) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        return Files.readAllLines(file).stream().filter(l -> l.startsWith(key))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

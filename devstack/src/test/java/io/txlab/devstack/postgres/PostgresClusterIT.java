package io.txlab.devstack.postgres;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.process.ProcessControl;
import io.txlab.devstack.testing.TestInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresClusterIT {

    private Path runDir;
    private PostgresCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        runDir = Files.createDirectories(Path.of("target", "it-postgres-" + System.nanoTime()).toAbsolutePath());
        Files.setPosixFilePermissions(runDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        cluster = new PostgresCluster("it-postgres", ComponentPaths.in(runDir, "it-postgres"), TestInfra.freePort(),
                List.of(DatabaseSpec.of("coordinator", "postgres_fdw", "dblink")));
    }

    @AfterEach
    void tearDown() {
        cluster.stop();
        deleteTree(runDir);
    }

    @Test
    void dataSurvivesASigkillAndTheSettingsAreThoseTheFlowsNeed() throws Exception {
        cluster.start();
        long firstPid = cluster.pid().orElseThrow();
        assertThat(ProcessControl.readPidFile(cluster.dataDir().resolve("postmaster.pid"))).hasValue(firstPid);

        Database db = cluster.freshDatabase("kill-test");
        assertThat(db.username()).isEqualTo("txlab");
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
            s.execute("INSERT INTO t VALUES (1, 'committed before the kill')");
        }

        cluster.kill();
        assertThat(ProcessControl.isAlive(firstPid)).isFalse();
        assertThat(cluster.isReady()).isFalse();

        cluster.start();
        assertThat(cluster.pid().orElseThrow()).isNotEqualTo(firstPid);
        try (Connection c = connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM t WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("committed before the kill");
        }
        assertThat(show(db, "max_prepared_transactions")).isEqualTo("100");
        assertThat(show(db, "wal_level")).isEqualTo("logical");
        assertThat(show(db, "fsync")).isEqualTo("on");
        assertThat(show(db, "synchronous_commit")).isEqualTo("on");
        assertThat(show(db, "listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(show(db, "max_replication_slots")).isEqualTo("10");
    }

    @Test
    void bootstrapCreatesTheRoleDatabaseAndExtensions() throws Exception {
        cluster.start();
        Database coordinator = new Database("coordinator", cluster.jdbcUrl("coordinator"), "txlab", "txlab");
        List<String> extensions = new ArrayList<>();
        try (Connection c = connect(coordinator); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT extname FROM pg_extension ORDER BY extname")) {
            while (rs.next()) {
                extensions.add(rs.getString(1));
            }
        }
        assertThat(extensions).contains("dblink", "postgres_fdw");
        try (Connection c = connect(coordinator); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper, rolreplication, rolcanlogin FROM pg_roles WHERE rolname = 'txlab'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1) && rs.getBoolean(2) && rs.getBoolean(3)).isTrue();
        }
        // a two-phase commit round works (max_prepared_transactions > 0)
        try (Connection c = connect(coordinator); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE decision (gid text PRIMARY KEY)");
            c.setAutoCommit(false);
            s.execute("INSERT INTO decision VALUES ('g1')");
            s.execute("PREPARE TRANSACTION 'it-g1'");
            c.setAutoCommit(true);
            s.execute("COMMIT PREPARED 'it-g1'");
        }
    }

    private static Connection connect(Database db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    private static String show(Database db, String setting) throws SQLException {
        try (Connection c = connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
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

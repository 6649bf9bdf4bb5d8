package io.txlab.loadtests.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.devstack.testing.TestInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full disk on real PostgreSQL (the machines run as root, so the tmpfs mounts): writes that need a new page fail with
 * SQLSTATE 53100 and nothing else breaks, writes go through again once the disk is freed, and closing puts every table
 * back, drops the tablespace and unmounts.
 */
class DiskFullIT {

    @Test
    void writesFailWithDiskFullWhileFullAndPassAgainOnceFreedAndCloseUndoesEverything() throws Exception {
        Database db = TestInfra.postgres().freshDatabase("disk_full");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ledger (id bigserial PRIMARY KEY, note text NOT NULL)");
            st.execute("INSERT INTO ledger (note) SELECT repeat('x', 100) FROM generate_series(1, 1000)");
        }
        Path mountPoint = TestInfra.runDir().resolve("disk-full-it");
        DiskFull disk = new DiskFull(mountPoint, List.of(db.jdbcUrl()), PostgresCluster.SUPERUSER,
                PostgresCluster.SUPERUSER_PASSWORD);
        try {
            disk.prepare();
            assertThat(tablespaceOf(db, "ledger")).isEqualTo(DiskFull.TABLESPACE);
            assertThat(tablespaceOf(db, "ledger_pkey")).isEqualTo(DiskFull.TABLESPACE);
            assertThat(mounted(mountPoint)).isTrue();

            assertThat(disk.fill()).isPositive();
            assertThat(disk.freeBytes()).isLessThan(8192);
            // 10,000 more rows need new pages of the table and its index: refused as a full disk, and only that
            assertThatThrownBy(() -> insert(db, 10_000)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53100"))
                    .hasMessageContaining("No space left on device");
            assertThat(count(db)).as("reads go on, and the failed insert left nothing").isEqualTo(1000);

            disk.free();
            insert(db, 10_000);
            assertThat(count(db)).isEqualTo(11_000);
        } finally {
            disk.close();
        }
        assertThat(tablespaceOf(db, "ledger")).as("back on the cluster's own disk").isNull();
        assertThat(tablespaceOf(db, "ledger_pkey")).isNull();
        assertThat(mounted(mountPoint)).isFalse();
        assertThat(mountPoint).doesNotExist();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_tablespace WHERE spcname = '" + DiskFull.TABLESPACE + "'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        disk.close(); // idempotent
    }

    private static void insert(Database db, int rows) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO ledger (note) SELECT repeat('y', 100) FROM generate_series(1, " + rows + ")");
        }
    }

    private static long count(Database db) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM ledger")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String tablespaceOf(Database db, String relation) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                     "SELECT t.spcname FROM pg_class c LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace "
                             + "WHERE c.relname = '" + relation + "'")) {
            assertThat(rs.next()).as(relation).isTrue();
            return rs.getString(1);
        }
    }

    private static boolean mounted(Path mountPoint) throws Exception {
        return Files.readAllLines(Path.of("/proc/mounts")).stream()
                .anyMatch(line -> line.split(" ")[1].equals(mountPoint.toAbsolutePath().toString()));
    }
}

package io.txlab.loadtests.chaos;

import io.txlab.devstack.process.RunAs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster's disk full, for its databases' tables and indexes (issue 17, part 5). {@link #prepare} mounts a
 * small tmpfs, makes it a tablespace and moves every table and index of the given databases onto it; {@link #fill}
 * writes a file until the tmpfs has no byte left, so the next page a table or an index needs fails with SQLSTATE 53100
 * ("could not extend file ... No space left on device") while reads and in-place updates go on; {@link #free} deletes
 * it; {@link #close} moves everything back, drops the tablespace and unmounts.
 *
 * <p>The write-ahead log stays on the cluster's own disk: with the WAL full too, PostgreSQL stops with a PANIC, which
 * is a crash, and a kill -9 of the cluster is already its own fault run. Mounting needs root (these machines run as
 * root; the clusters themselves run as another user, {@link RunAs#forPostgres()}).
 */
public final class DiskFull implements AutoCloseable {

    public static final String TABLESPACE = "txlab_disk_full";
    private static final String FILLER = "filler";
    /** Room for the tables to grow before the fault, and for the rewrites of the move. */
    private static final long HEADROOM_MB = 32;

    private final Path mountPoint;
    private final List<String> databaseUrls;
    private final Properties superuser = new Properties();
    private boolean mounted;
    private boolean tablespace;

    /**
     * @param mountPoint   a folder the cluster's user can reach (created, mounted over, removed at {@link #close})
     * @param databaseUrls JDBC URLs of the databases whose tables and indexes move onto the full disk, all on one cluster
     */
    public DiskFull(Path mountPoint, List<String> databaseUrls, String superuser, String password) {
        if (databaseUrls.isEmpty()) {
            throw new IllegalArgumentException("no database to move onto the full disk");
        }
        this.mountPoint = mountPoint.toAbsolutePath();
        this.databaseUrls = List.copyOf(databaseUrls);
        this.superuser.setProperty("user", superuser);
        this.superuser.setProperty("password", password);
        this.superuser.setProperty("connectTimeout", "5");
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Mounts the tmpfs and moves the databases' tables and indexes onto it; throws with the reason if it cannot. */
    public void prepare() {
        if (RunAs.forPostgres().isEmpty()) {
            throw new IllegalStateException("a full disk needs root to mount a tmpfs (running as "
                    + System.getProperty("user.name") + ")");
        }
        try {
            long sizeMb = HEADROOM_MB;
            for (String url : databaseUrls) {
                sizeMb += 2 * userRelationsMb(url);
            }
            Files.createDirectories(mountPoint);
            run("mount", "-t", "tmpfs", "-o", "size=" + sizeMb + "m,mode=0755", "tmpfs", mountPoint.toString());
            mounted = true;
            Path location = Files.createDirectories(mountPoint.resolve("tablespace"));
            RunAs.forPostgres().ifPresent(runAs -> runAs.chownRecursively(location));
            try (Connection c = connect(databaseUrls.get(0)); Statement st = c.createStatement()) {
                st.execute("CREATE TABLESPACE " + TABLESPACE + " LOCATION '" + location.toString().replace("'", "''") + "'");
            }
            tablespace = true;
            for (String url : databaseUrls) {
                move(url, "pg_default", TABLESPACE);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            String reason = e.getMessage();
            close();
            throw new IllegalStateException("could not put the tables on a small disk: " + reason, e);
        }
    }

    /** Writes a file until no byte is left on the tmpfs; returns how many bytes it took. */
    public long fill() {
        byte[] chunk = new byte[1 << 20];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(mountPoint.resolve(FILLER))) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException full) {
            // "No space left on device" once the last chunk filled what was left: the point
        }
        return written;
    }

    /** The bytes still free on the tmpfs. */
    public long freeBytes() {
        try {
            return Files.getFileStore(mountPoint).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the filler: the disk has room again. */
    public void free() {
        try {
            Files.deleteIfExists(mountPoint.resolve(FILLER));
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + mountPoint.resolve(FILLER), e);
        }
    }

    /** Frees the disk, moves everything back to the cluster's own disk, drops the tablespace, unmounts. Idempotent. */
    @Override
    public void close() {
        List<String> failures = new ArrayList<>();
        if (mounted) {
            try {
                free();
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        if (tablespace) {
            try {
                for (String url : databaseUrls) {
                    move(url, TABLESPACE, "pg_default");
                }
                try (Connection c = connect(databaseUrls.get(0)); Statement st = c.createStatement()) {
                    st.execute("DROP TABLESPACE IF EXISTS " + TABLESPACE);
                }
                tablespace = false;
            } catch (SQLException e) {
                failures.add("moving the tables back: " + e.getMessage());
            }
        }
        if (mounted && !tablespace) {
            try {
                run("umount", mountPoint.toString());
                mounted = false;
                Files.deleteIfExists(mountPoint);
            } catch (IOException | RuntimeException e) {
                failures.add("unmounting " + mountPoint + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the full disk was not undone: " + String.join("; ", failures));
        }
    }

    /** Every table (with its TOAST) and index of the database from one tablespace to another, waiting at most 10 s. */
    private void move(String url, String from, String to) throws SQLException {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '10s'");
            st.execute("ALTER TABLE ALL IN TABLESPACE " + from + " SET TABLESPACE " + to);
            st.execute("ALTER INDEX ALL IN TABLESPACE " + from + " SET TABLESPACE " + to);
            st.execute("ALTER MATERIALIZED VIEW ALL IN TABLESPACE " + from + " SET TABLESPACE " + to);
        }
    }

    private long userRelationsMb(String url) throws SQLException {
        try (Connection c = connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n "
                        + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm') "
                        + "AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            rs.next();
            return (rs.getLong(1) + (1 << 20) - 1) >> 20;
        }
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, superuser);
    }

    private static void run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        String output = new String(p.getInputStream().readAllBytes()).strip();
        if (p.exitValue() != 0) {
            throw new IOException(String.format(Locale.ROOT, "%s exited with %d%s", String.join(" ", command),
                    p.exitValue(), output.isEmpty() ? "" : ": " + output));
        }
    }
}

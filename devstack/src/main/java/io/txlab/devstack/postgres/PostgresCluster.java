package io.txlab.devstack.postgres;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.ManagedComponent;
import io.txlab.devstack.process.LogFiles;
import io.txlab.devstack.process.Poll;
import io.txlab.devstack.process.ProcessControl;
import io.txlab.devstack.process.ProcessLauncher;
import io.txlab.devstack.process.RunAs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server process from the zonky binaries, configured like the clusters the flows need
 * (logical WAL, prepared transactions, durable commits) and listening on 127.0.0.1 only.
 * <p>
 * The postmaster runs as its own process in its own session, so it outlives the JVM that started it; its PID
 * (first line of {@code postmaster.pid}) is copied to the component's pid file. Starting an existing data
 * directory keeps its data: initdb runs only when the directory has no {@code PG_VERSION}.
 */
public class PostgresCluster implements ManagedComponent {

    public static final String SUPERUSER = "postgres";
    public static final String SUPERUSER_PASSWORD = "postgres";
    public static final String APP_USER = "txlab";
    public static final String APP_PASSWORD = "txlab";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final AtomicInteger FRESH_COUNTER = new AtomicInteger();
    private static final java.sql.Driver DRIVER = new org.postgresql.Driver();

    private final String name;
    private final ComponentPaths paths;
    private final int port;
    private final List<DatabaseSpec> databases;

    public PostgresCluster(String name, ComponentPaths paths, int port, List<DatabaseSpec> databases) {
        this.name = name;
        this.paths = paths;
        this.port = port;
        this.databases = List.copyOf(databases);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public List<DatabaseSpec> databases() {
        return databases;
    }

    public Path dataDir() {
        return paths.dataDir();
    }

    @Override
    public Path logFile() {
        return paths.logFile();
    }

    @Override
    public OptionalLong pid() {
        return ProcessControl.readPidFile(paths.pidFile());
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    @Override
    public synchronized void start() {
        OptionalLong running = pid();
        if (running.isPresent() && ProcessControl.isAlive(running.getAsLong())) {
            awaitReady(null);
            bootstrap();
            return;
        }
        Path home = PostgresBinaries.home();
        try {
            Files.createDirectories(paths.dir());
            Path sockets = socketDir();
            Files.createDirectories(sockets);
            RunAs.forPostgres().ifPresent(runAs -> {
                runAs.chownRecursively(paths.dir());
                runAs.chownRecursively(sockets);
            });
            if (!Files.exists(dataDir().resolve("PG_VERSION"))) {
                initdb(home);
            }
            writeConfig(sockets);
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + paths.dir(), e);
        }
        Process process = ProcessLauncher.launch(
                asPostgresUser(List.of(home.resolve("bin/postgres").toString(), "-D", dataDir().toString())),
                env(), paths.dir(), logFile(), paths.pidFile());
        awaitReady(process);
        ProcessControl.readPidFile(dataDir().resolve("postmaster.pid"))
                .ifPresent(pid -> ProcessControl.writePidFile(paths.pidFile(), pid));
        bootstrap();
    }

    private void initdb(Path home) throws IOException {
        Path pwFile = paths.dir().resolve("superuser.pw");
        Files.writeString(pwFile, SUPERUSER_PASSWORD + "\n");
        RunAs.forPostgres().ifPresent(runAs -> runAs.chownRecursively(pwFile));
        try {
            ProcessLauncher.runToCompletion(asPostgresUser(List.of(
                            home.resolve("bin/initdb").toString(),
                            "-D", dataDir().toString(),
                            "-U", SUPERUSER,
                            "--pwfile=" + pwFile,
                            "--encoding=UTF8",
                            "--locale=C",
                            "--auth-host=scram-sha-256",
                            "--auth-local=trust")),
                    env(), paths.dir(), logFile(), Duration.ofSeconds(120));
        } finally {
            Files.deleteIfExists(pwFile);
        }
        Files.writeString(dataDir().resolve("postgresql.conf"),
                "\n# settings owned by the txlab devstack, rewritten at every start\ninclude 'txlab.conf'\n",
                StandardOpenOption.APPEND);
    }

    private void writeConfig(Path sockets) throws IOException {
        Path conf = dataDir().resolve("txlab.conf");
        Files.writeString(conf, String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + sockets + "'",
                "wal_level = logical",
                "max_prepared_transactions = 100",
                "max_replication_slots = 10",
                "max_wal_senders = 10",
                // A relay stopped for long must not fill the disk with WAL its slot retains: past this the slot is
                // invalidated, and the relay then stops with an alarm instead of skipping rows (ADR 6).
                "max_slot_wal_keep_size = '2GB'",
                "max_connections = 200",
                "fsync = on",
                "synchronous_commit = on",
                "shared_buffers = 64MB",
                // logs go to stderr, which the launcher appends to the component log file
                "logging_collector = off",
                "log_destination = 'stderr'",
                "log_line_prefix = '%m [%p] '",
                "") + "\n");
        RunAs.forPostgres().ifPresent(runAs -> runAs.chownRecursively(conf));
    }

    /** Unix sockets have a ~107 byte path limit; deep run directories fall back to a short temp folder. */
    private Path socketDir() {
        Path preferred = paths.dir().resolve("sock");
        if (preferred.toAbsolutePath().toString().length() + ".s.PGSQL.65535".length() + 1 < 100) {
            return preferred.toAbsolutePath();
        }
        String hash = Integer.toHexString(paths.dir().toAbsolutePath().toString().hashCode());
        return Path.of(System.getProperty("java.io.tmpdir"), "txlab-sock-" + hash);
    }

    private List<String> asPostgresUser(List<String> command) {
        return RunAs.forPostgres().map(runAs -> runAs.wrap(command)).orElse(command);
    }

    private static Map<String, String> env() {
        return Map.of("LC_ALL", "C", "LANG", "C");
    }

    private void awaitReady(Process process) {
        boolean ready = Poll.until(READY_TIMEOUT, Duration.ofMillis(100), () -> {
            if (process != null && !process.isAlive()) {
                throw new ProcessExited();
            }
            return isReady();
        });
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException(name + ": postgres exited with code " + process.exitValue()
                    + " during start; " + LogFiles.startFailure(logFile(), 15));
        }
        if (!ready) {
            throw new IllegalStateException(name + ": not ready within " + READY_TIMEOUT.toSeconds()
                    + " s; " + LogFiles.startFailure(logFile(), 15));
        }
    }

    private static final class ProcessExited extends RuntimeException {
        ProcessExited() {
            super(null, null, false, false);
        }
    }

    @Override
    public boolean isReady() {
        try (Connection c = superuserConnection("postgres", 2)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Creates the application role and the databases and extensions; safe to repeat at every start. */
    protected void bootstrap() {
        try (Connection c = superuserConnection("postgres", 10); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + APP_USER + "') THEN "
                    + "CREATE ROLE " + APP_USER + " LOGIN SUPERUSER REPLICATION CREATEDB PASSWORD '" + APP_PASSWORD
                    + "'; END IF; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": bootstrap failed: " + e.getMessage(), e);
        }
        for (DatabaseSpec db : databases) {
            createDatabase(db.name());
            if (!db.extensions().isEmpty()) {
                try (Connection c = superuserConnection(db.name(), 10); Statement s = c.createStatement()) {
                    for (String extension : db.extensions()) {
                        s.execute("CREATE EXTENSION IF NOT EXISTS " + extension);
                    }
                    if (db.extensions().contains("postgres_fdw")) {
                        s.execute("GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO " + APP_USER);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(name + ": extensions in " + db.name() + " failed: "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /** Creates the database owned by {@code txlab} unless it exists. */
    public void createDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database names are lower-case identifiers: " + database);
        }
        try (Connection c = superuserConnection("postgres", 10)) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, database);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + database + " OWNER " + APP_USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": CREATE DATABASE " + database + " failed: " + e.getMessage(), e);
        }
    }

    /** A new empty database owned by {@code txlab} with a unique name starting with the prefix. */
    public Database freshDatabase(String prefix) {
        String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = "db_" + base;
        }
        if (base.length() > 40) {
            base = base.substring(0, 40);
        }
        String dbName = base + "_" + ProcessHandle.current().pid() + "_" + FRESH_COUNTER.incrementAndGet();
        createDatabase(dbName);
        return new Database(dbName, jdbcUrl(dbName), APP_USER, APP_PASSWORD);
    }

    public Connection superuserConnection(String database, int timeoutSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", SUPERUSER_PASSWORD);
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        // the driver directly: DriverManager's lazy, class-loader-sensitive registration is racy across threads
        Connection connection = DRIVER.connect(jdbcUrl(database), props);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + jdbcUrl(database));
        }
        return connection;
    }

    /** Fast shutdown (SIGINT to the postmaster: roll back open transactions, checkpoint, exit). */
    @Override
    public synchronized void stop() {
        OptionalLong pid = pid();
        if (pid.isPresent()) {
            ProcessControl.stopGracefully(pid.getAsLong(), "INT", STOP_GRACE);
        }
    }

    @Override
    public synchronized void kill() {
        OptionalLong pid = pid();
        if (pid.isPresent()) {
            ProcessControl.killTree(pid.getAsLong());
        }
    }
}

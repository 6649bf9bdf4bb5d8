package io.txlab.loadtests.support;

import io.txlab.devstack.postgres.Database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds test databases from the services' own Flyway migration files (read from the repository, in version order),
 * so the load-tests' readers are tested against the schemas the services really create. Tests only.
 */
public final class Migrations {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private Migrations() {
    }

    /** A service's database: {@code <module>/src/main/resources/db/migration}. */
    public static void service(Database db, String module) throws IOException, SQLException {
        apply(db, REPO.resolve(module).resolve("src/main/resources/db/migration"));
    }

    /** The cockroach flow's own database: order-service {@code db/cockroach} (schema, views and seed). */
    public static void cockroach(Database db) throws IOException, SQLException {
        apply(db, REPO.resolve("order-service/src/main/resources/db/cockroach"));
    }

    public static void exec(Database db, String sql) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    public static Connection connect(Database db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    private static void apply(Database db, Path dir) throws IOException, SQLException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("^V(\\d+)__.*", "$1"))))
                    .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no migrations in " + dir);
        }
        for (Path f : files) {
            exec(db, Files.readString(f));
        }
    }
}

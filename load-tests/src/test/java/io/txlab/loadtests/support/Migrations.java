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

    /**
     * A service's database: its core's schema where the tables live in a core module (inventory-core, payment-core),
     * then the service's own {@code db/order} or {@code db/migration}.
     */
    public static void service(Database db, String module) throws IOException, SQLException {
        switch (module) {
            case "order-service" -> apply(db, resources("order-service", "db/order"));
            case "inventory-service" -> {
                apply(db, resources("inventory-core", "db/inventory"));
                apply(db, resources(module, "db/migration"));
            }
            case "payment-service" -> {
                apply(db, resources("payment-core", "db/payment"));
                apply(db, resources(module, "db/migration"));
            }
            default -> throw new IllegalArgumentException("no database for module " + module);
        }
    }

    /**
     * The cockroach flow's own database, from the same sources and in the same order as order-service's
     * {@code CockroachSchema}: the platform's idempotency keys (V0_1 only), the order tables, the inventory and
     * payment cores' tables, then {@code db/cockroach} (its column and seed).
     */
    public static void cockroach(Database db) throws IOException, SQLException {
        exec(db, Files.readString(resources("platform", "db/platform").resolve("V0_1__idempotency_key.sql")));
        apply(db, resources("order-service", "db/order"));
        apply(db, resources("inventory-core", "db/inventory"));
        apply(db, resources("payment-core", "db/payment"));
        apply(db, resources("order-service", "db/cockroach"));
    }

    private static Path resources(String module, String location) {
        return REPO.resolve(module).resolve("src/main/resources").resolve(location);
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

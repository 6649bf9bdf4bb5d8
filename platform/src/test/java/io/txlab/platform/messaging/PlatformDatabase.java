package io.txlab.platform.messaging;

import com.zaxxer.hikari.HikariDataSource;
import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A fresh database with the platform migrations applied, for the messaging and outbox ITs. */
public final class PlatformDatabase {

    private PlatformDatabase() {
    }

    public static Database fresh(String prefix) {
        Database db = TestInfra.postgres().freshDatabase(prefix);
        try (HikariDataSource ds = dataSource(db)) {
            JdbcClient jdbc = JdbcClient.create(ds);
            for (String migration : new String[] {"V0_2__inbox.sql", "V0_3__outbox.sql", "V0_4__outbox_trace_headers.sql"}) {
                jdbc.sql(resource("/db/platform/" + migration)).update();
            }
        }
        return db;
    }

    public static HikariDataSource dataSource(Database db) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(db.jdbcUrl());
        ds.setUsername(db.username());
        ds.setPassword(db.password());
        ds.setMaximumPoolSize(4);
        return ds;
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code deadline} passes. */
    public static void await(Duration deadline, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    private static String resource(String path) {
        try (InputStream in = PlatformDatabase.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

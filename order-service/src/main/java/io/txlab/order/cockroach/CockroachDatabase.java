package io.txlab.order.cockroach;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@code cockroach} flow's database is, found out at startup rather than assumed: the server's own
 * {@code version()} decides the backend label, a configured label that disagrees stops the service, the session must
 * run at SERIALIZABLE, and {@link CockroachSchema} migrates it (never the orders database, whose Flyway is Spring
 * Boot's).
 *
 * @param backend       the backend every output names
 * @param serverVersion the server's {@code SELECT version()}
 */
record CockroachDatabase(CockroachBackend backend, String serverVersion) {

    private static final Logger log = LoggerFactory.getLogger(CockroachDatabase.class);
    /** {@code password=...} in a JDBC URL query, up to the next {@code &} or the end. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");

    /**
     * The URL as it may be logged or shown: the value of any {@code password} parameter replaced by {@code ***}
     * (the password belongs in {@code txlab.cockroach.password}, but a URL that carries one must not leak it).
     */
    static String redacted(String jdbcUrl) {
        return PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
    }

    static CockroachDatabase prepare(DataSource dataSource, CockroachProperties properties) {
        String version;
        String isolation;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            version = single(statement, "SELECT version()");
            isolation = single(statement, "SHOW transaction_isolation");
        } catch (SQLException e) {
            throw new IllegalStateException("the cockroach flow's database at " + redacted(properties.url())
                    + " is unreachable (leave cockroach out of txlab.flows.enabled to run without the flow)", e);
        }
        CockroachBackend detected = CockroachBackend.fromServerVersion(version);
        String why;
        if (properties.backend().isBlank()) {
            why = "detected from the server's version(); txlab.cockroach.backend is not set";
        } else {
            CockroachBackend configured = CockroachBackend.fromId(properties.backend());
            if (configured != detected) {
                throw new IllegalStateException("txlab.cockroach.backend says '" + configured.id()
                        + "' but the server at " + redacted(properties.url()) + " is '" + version
                        + "'; refusing to label its results as " + configured.id());
            }
            why = "txlab.cockroach.backend=" + configured.id() + ", confirmed by the server's version()";
        }
        if (!"serializable".equalsIgnoreCase(isolation.trim())) {
            throw new IllegalStateException("the cockroach flow needs SERIALIZABLE transactions, but sessions on "
                    + redacted(properties.url()) + " run at '" + isolation + "'");
        }
        CockroachSchema.migrate(dataSource, redacted(properties.url()));
        log.info("cockroach flow: backend {} ({}); server '{}' at {}; isolation {}; pool {}; up to {} retries per"
                        + " transaction{}",
                detected.id(), why, version, redacted(properties.url()), isolation, properties.poolSize(),
                properties.maxRetries(),
                detected == CockroachBackend.POSTGRESQL_SERIALIZABLE_STANDIN
                        ? "; this is PostgreSQL standing in for CockroachDB: results are not CockroachDB's"
                        : "");
        return new CockroachDatabase(detected, version);
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

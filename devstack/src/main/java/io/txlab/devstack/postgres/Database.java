package io.txlab.devstack.postgres;

/** A database on a {@link PostgresCluster}, owned by the application role. */
public record Database(String name, String jdbcUrl, String username, String password) {
}

package io.txlab.platform.outbox;

import java.net.URI;
import java.util.Objects;

/** The service's own PostgreSQL database, as the relays connect to it outside the connection pool. */
public record RelayDatabase(String jdbcUrl, String username, String password) {

    public RelayDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("the outbox relays need PostgreSQL, got " + jdbcUrl);
        }
    }

    private URI uri() {
        return URI.create(jdbcUrl.substring("jdbc:".length()));
    }

    public String host() {
        return uri().getHost();
    }

    public int port() {
        int port = uri().getPort();
        return port < 0 ? 5432 : port;
    }

    public String databaseName() {
        return uri().getPath().substring(1);
    }
}

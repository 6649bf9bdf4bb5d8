package io.txlab.devstack;

import io.txlab.devstack.postgres.DatabaseSpec;

import java.util.List;

/**
 * One component of the local stack as the {@link Topology} defines it.
 *
 * @param databases for PostgreSQL clusters: the databases created at bootstrap; for services: empty
 * @param dependsOn components that must be ready before this one starts
 */
public record ComponentSpec(String name, ComponentKind kind, int port, List<DatabaseSpec> databases,
                            List<String> dependsOn) {

    public ComponentSpec {
        databases = List.copyOf(databases);
        dependsOn = List.copyOf(dependsOn);
    }

    /** The start wave: PostgreSQL clusters first, then Kafka, Temporal, Zipkin and the link proxy, then the services. */
    public int wave() {
        return switch (kind) {
            case POSTGRES -> 0;
            case KAFKA, TEMPORAL, ZIPKIN, LINKS -> 1;
            case SERVICE -> 2;
        };
    }
}

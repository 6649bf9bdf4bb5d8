package io.txlab.order.cockroach;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Builds the {@code cockroach} flow's database from the same schema files as the services' databases, so that a
 * table is defined once whichever flow writes it (ADR 29): the platform's idempotency keys, order-service's order
 * tables, the inventory core's and the payment core's tables and views, then the flow's own change and seed.
 *
 * <p>Each source keeps its own Flyway history table ({@code flyway_history_<source>}): the sources number their
 * migrations independently (each has a V1), and one history could not hold two version 1s. A source that finds
 * the database already holding another source's tables baselines at version 0 and applies all of its own.
 */
final class CockroachSchema {

    /**
     * One schema source: a Flyway location and, where the database must stop short of the source's later
     * migrations, the last version to apply.
     */
    record Source(String name, String location, String target) {
    }

    /**
     * In dependency order. The platform stops at V0_1: its later migrations (inbox, outbox, 2PC branches) belong to
     * the messaging and 2PC flows and use PostgreSQL-only features.
     */
    static final List<Source> SOURCES = List.of(
            new Source("platform", "classpath:db/platform", "0.1"),
            new Source("order", "classpath:db/order", null),
            new Source("inventory", "classpath:db/inventory", null),
            new Source("payment", "classpath:db/payment", null),
            new Source("cockroach", "classpath:db/cockroach", null));

    /** The history table of the earlier layout, one merged schema in {@code db/cockroach}. */
    static final String EARLIER_LAYOUT_HISTORY = "flyway_schema_history";

    private CockroachSchema() {
    }

    /** Applies every source's pending migrations, in {@link #SOURCES} order. */
    static void migrate(DataSource dataSource, String where) {
        refuseEarlierLayout(dataSource, where);
        for (Source source : SOURCES) {
            FluentConfiguration flyway = Flyway.configure()
                    .dataSource(dataSource)
                    .locations(source.location())
                    .table("flyway_history_" + source.name())
                    .baselineOnMigrate(true)
                    .baselineVersion("0");
            if (source.target() != null) {
                flyway.target(source.target());
            }
            flyway.load().migrate();
        }
    }

    /**
     * A database made by a txlab before ADR 29 has the same table names with other columns (no reservations):
     * migrating it would fail half-way on "relation already exists". Stop before touching it, and say what to do.
     */
    private static void refuseEarlierLayout(DataSource dataSource, String where) {
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, EARLIER_LAYOUT_HISTORY, new String[] {"TABLE"})) {
            if (rs.next()) {
                throw new IllegalStateException("the cockroach flow's database at " + where + " was created by an"
                        + " earlier txlab (one merged schema, history in " + EARLIER_LAYOUT_HISTORY + "); its tables"
                        + " now come from the order, inventory and payment schemas (ADR 29). Drop and recreate that"
                        + " database (in the devstack: ./txlab down, then delete the run directory)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tables of the cockroach flow's database at " + where, e);
        }
    }
}

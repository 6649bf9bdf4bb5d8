package io.txlab.twopc.monitor;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.txlab.contracts.twopc.Gid;
import io.txlab.platform.scheduling.PeriodicTask;
import io.txlab.twopc.config.TwopcProperties;
import io.txlab.twopc.config.TwopcProperties.ParticipantDatabase;
import java.sql.ResultSet;
import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The in-doubt monitor: reads every participant's {@code pg_prepared_xacts} and {@code pg_locks} through
 * postgres_fdw foreign tables and joins them, in one query (the view {@code twopc_monitor.in_doubt}), with the
 * decision log. Exposed by {@code GET /twopc/in-doubt} and the gauges {@code txlab.twopc.in_doubt.count} and
 * {@code txlab.twopc.in_doubt.oldest.age} (seconds), tagged by participant.
 *
 * <p>Read-only on purpose: postgres_fdw cannot take part in two-phase commit (PostgreSQL refuses to PREPARE a
 * transaction that touched a foreign table), so the protocol itself runs over the participants' own connections.
 * Reading remote catalog views works and gives one SQL answer to "what is stuck where, holding what, and what did
 * the coordinator decide".
 *
 * <p>Servers ({@code twopc_<name>}), user mappings and foreign tables are created or updated at startup from
 * {@code txlab.twopc.monitor.participants}; names are validated, option values quoted as SQL literals.
 */
@Component
public class InDoubtMonitor implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InDoubtMonitor.class);
    private static final String CONNECT_TIMEOUT_SECONDS = "2";
    /**
     * Every monitor query is cancelled after this long. postgres_fdw opens its connections without honouring
     * {@code connect_timeout}, so a participant whose packets are dropped would hold the query, the refresh and every
     * {@code GET /twopc/in-doubt} waiting on it forever; the cancel interrupts the foreign connect, and the participant
     * is reported unreachable.
     */
    static final int QUERY_TIMEOUT_SECONDS = 2;

    private final JdbcClient jdbc;
    private final TwopcProperties.Monitor config;
    private final Map<String, double[]> gauges = new ConcurrentHashMap<>();
    private volatile boolean ready;
    private volatile InDoubtReport last;
    private final PeriodicTask task;

    public InDoubtMonitor(DataSource dataSource, TwopcProperties properties, MeterRegistry meters) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        this.jdbc = JdbcClient.create(template);
        this.config = properties.monitor();
        this.task = new PeriodicTask("twopc-in-doubt-monitor", Duration.ZERO, config.refreshInterval(), this::refresh);
        for (ParticipantDatabase p : config.participants()) {
            Gid.requireValidBranch(p.name());
            double[] values = new double[2];
            gauges.put(p.name(), values);
            Gauge.builder("txlab.twopc.in_doubt.count", values, v -> v[0])
                    .description("prepared transactions in the participant database")
                    .tag("participant", p.name()).register(meters);
            Gauge.builder("txlab.twopc.in_doubt.oldest.age", values, v -> v[1])
                    .description("age of the oldest prepared transaction in the participant database")
                    .baseUnit("seconds").tag("participant", p.name()).register(meters);
        }
    }

    /** Refreshes at once, then every {@code refresh-interval} on its own thread (never recovery's). */
    @EventListener(ApplicationReadyEvent.class)
    public void onReady() {
        task.start();
    }

    @Override
    public void destroy() {
        task.stop();
    }

    /** Reads the participants now, updates the gauges and returns the report. */
    public synchronized InDoubtReport refresh() {
        if (!ready) {
            boolean setUp;
            try {
                setUp = setUp();
            } catch (DataAccessException e) {
                log.warn("in-doubt monitor: could not set up its foreign tables: {}", e.getMostSpecificCause().getMessage());
                setUp = false;
            }
            if (!setUp) {
                last = new InDoubtReport(Instant.now(), false, List.of(), List.of());
                return last;
            }
        }
        List<String> unreachable = new ArrayList<>();
        List<InDoubtTransaction> rows;
        try {
            rows = jdbc.sql("SELECT * FROM twopc_monitor.in_doubt ORDER BY prepared").query(this::map).list();
        } catch (DataAccessException e) {
            // One unreachable participant fails the single query: fall back to one participant at a time so the
            // others are still reported.
            rows = new ArrayList<>();
            for (ParticipantDatabase p : config.participants()) {
                try {
                    rows.addAll(jdbc.sql("SELECT * FROM twopc_monitor.in_doubt WHERE participant = ? ORDER BY prepared")
                            .param(p.name()).query(this::map).list());
                } catch (DataAccessException perParticipant) {
                    log.warn("in-doubt monitor: {} unreachable: {}", p.name(),
                            perParticipant.getMostSpecificCause().getMessage());
                    unreachable.add(p.name());
                }
            }
        }
        Map<String, List<InDoubtTransaction>> byParticipant =
                rows.stream().collect(Collectors.groupingBy(InDoubtTransaction::participant));
        gauges.forEach((name, values) -> {
            if (unreachable.contains(name)) {
                values[0] = Double.NaN;
                values[1] = Double.NaN;
                return;
            }
            List<InDoubtTransaction> own = byParticipant.getOrDefault(name, List.of());
            values[0] = own.size();
            values[1] = own.stream().mapToDouble(InDoubtTransaction::ageSeconds).max().orElse(0);
        });
        last = new InDoubtReport(Instant.now(), true, rows, unreachable);
        return last;
    }

    private boolean setUp() {
        if (!config.enabled() || config.participants().isEmpty()) {
            return false;
        }
        Boolean fdw = jdbc.sql("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'postgres_fdw')")
                .query(Boolean.class).single();
        if (!Boolean.TRUE.equals(fdw)) {
            log.warn("in-doubt monitor unavailable: extension postgres_fdw is not installed in this database");
            return false;
        }
        List<String> branches = new ArrayList<>();
        for (ParticipantDatabase p : config.participants()) {
            createForeignTables(p);
            branches.add(participantSelect(p));
        }
        String view = "CREATE OR REPLACE VIEW twopc_monitor.in_doubt AS\n"
                + "SELECT b.participant, b.gid,\n"
                + "       CASE WHEN b.gid ~ '^txlab_[0-9a-f-]{36}(\\.|$)' THEN split_part(b.gid, '.', 1) END AS global_gid,\n"
                + "       b.prepared, extract(epoch FROM now() - b.prepared)::float8 AS age_seconds,\n"
                + "       b.owner, b.database, coalesce(b.locks_held, 0) AS locks_held,\n"
                + "       CASE WHEN b.gid !~ '^txlab_' THEN NULL\n"
                + "            WHEN t.state = 'BEGUN' THEN 'PENDING'\n"
                + "            WHEN t.state IN ('COMMITTING', 'COMMITTED') THEN 'COMMIT'\n"
                + "            ELSE 'ABORT' END AS decision,\n"
                + "       t.state\n"
                + "FROM (\n" + String.join("\nUNION ALL\n", branches) + "\n) b\n"
                + "LEFT JOIN public.twopc_transaction t ON t.gid = split_part(b.gid, '.', 1)";
        replaceViewIfChanged(view);
        ready = true;
        log.info("in-doubt monitor reading {} participant databases through postgres_fdw",
                config.participants().size());
        return true;
    }

    /**
     * Replaces the view only when its definition changed (its hash is kept as the view's comment). Replacing takes an
     * exclusive lock on the view, and a backend of a coordinator killed in the middle of a monitor query can hold its
     * shared lock for as long as that query's foreign connect hangs (a black-holed participant): recreating the view
     * at every start would then block the monitor of the next coordinator.
     */
    private void replaceViewIfChanged(String definition) {
        String hash = java.util.HexFormat.of().formatHex(sha256(definition));
        String current = jdbc.sql("SELECT obj_description(to_regclass('twopc_monitor.in_doubt'), 'pg_class')")
                .query(String.class).optional().orElse(null);
        if (hash.equals(current)) {
            return;
        }
        jdbc.sql(definition).update();
        jdbc.sql("COMMENT ON VIEW twopc_monitor.in_doubt IS " + literal(hash)).update();
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private void createForeignTables(ParticipantDatabase p) {
        String server = "twopc_" + p.name();
        // connect_timeout for libpq's own use of these options; the fdw's connect itself is bounded by QUERY_TIMEOUT_SECONDS
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("host", p.host());
        options.put("port", Integer.toString(p.port()));
        options.put("dbname", p.dbname());
        options.put("connect_timeout", CONNECT_TIMEOUT_SECONDS);
        boolean exists = jdbc.sql("SELECT EXISTS (SELECT FROM pg_foreign_server WHERE srvname = ?)")
                .param(server).query(Boolean.class).single();
        if (exists) {
            // SET what the server has, ADD what it lacks (a server created by an older version of this code)
            List<String> existing = jdbc.sql("SELECT option_name FROM pg_foreign_server s, "
                            + "pg_options_to_table(s.srvoptions) WHERE s.srvname = ?")
                    .param(server).query(String.class).list();
            List<String> changes = options.entrySet().stream()
                    .map(o -> (existing.contains(o.getKey()) ? "SET " : "ADD ") + o.getKey() + " " + literal(o.getValue()))
                    .toList();
            jdbc.sql("ALTER SERVER " + server + " OPTIONS (" + String.join(", ", changes) + ")").update();
        } else {
            List<String> all = options.entrySet().stream().map(o -> o.getKey() + " " + literal(o.getValue())).toList();
            jdbc.sql("CREATE SERVER " + server + " FOREIGN DATA WRAPPER postgres_fdw OPTIONS (" + String.join(", ", all)
                    + ")").update();
        }
        String credentials = "user " + literal(p.user()) + ", password " + literal(p.password());
        jdbc.sql("CREATE USER MAPPING IF NOT EXISTS FOR CURRENT_USER SERVER " + server
                + " OPTIONS (" + credentials + ")").update();
        jdbc.sql("ALTER USER MAPPING FOR CURRENT_USER SERVER " + server
                + " OPTIONS (SET " + credentials.replace(", ", ", SET ") + ")").update();
        jdbc.sql("CREATE FOREIGN TABLE IF NOT EXISTS twopc_monitor." + p.name() + "_prepared_xacts ("
                + "transaction xid, gid text, prepared timestamptz, owner name, database name) SERVER " + server
                + " OPTIONS (schema_name 'pg_catalog', table_name 'pg_prepared_xacts')").update();
        jdbc.sql("CREATE FOREIGN TABLE IF NOT EXISTS twopc_monitor." + p.name() + "_locks ("
                + "locktype text, database oid, relation oid, transactionid xid, virtualtransaction text, pid integer, "
                + "mode text, granted boolean) SERVER " + server
                + " OPTIONS (schema_name 'pg_catalog', table_name 'pg_locks')").update();
    }

    /**
     * A prepared transaction's locks have no pid; they share the virtual transaction id of the original session,
     * which the prepared transaction's own {@code transactionid} lock reveals.
     */
    private static String participantSelect(ParticipantDatabase p) {
        String locks = "twopc_monitor." + p.name() + "_locks";
        return "SELECT " + literal(p.name()) + "::text AS participant, p.gid, p.prepared, p.owner::text AS owner,"
                + " p.database::text AS database, lk.locks_held\n"
                + "FROM twopc_monitor." + p.name() + "_prepared_xacts p\n"
                + "LEFT JOIN (SELECT x.transactionid::text AS xid, count(l.*) AS locks_held\n"
                + "           FROM " + locks + " x JOIN " + locks + " l ON l.virtualtransaction = x.virtualtransaction"
                + " AND l.pid IS NULL\n"
                + "           WHERE x.locktype = 'transactionid' AND x.pid IS NULL\n"
                + "           GROUP BY x.transactionid::text) lk ON lk.xid = p.transaction::text\n"
                + "WHERE p.database = " + literal(p.dbname());
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private InDoubtTransaction map(ResultSet rs, int row) throws SQLException {
        return new InDoubtTransaction(rs.getString("participant"), rs.getString("gid"), rs.getString("global_gid"),
                rs.getTimestamp("prepared").toInstant(), rs.getDouble("age_seconds"), rs.getString("owner"),
                rs.getString("database"), rs.getLong("locks_held"), rs.getString("decision"), rs.getString("state"));
    }
}

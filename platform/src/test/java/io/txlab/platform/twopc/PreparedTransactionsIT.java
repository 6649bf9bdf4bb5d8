package io.txlab.platform.twopc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.Vote;
import io.txlab.devstack.postgres.Database;
import io.txlab.devstack.testing.TestInfra;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** PreparedTransactions against a real PostgreSQL cluster (max_prepared_transactions = 100). */
class PreparedTransactionsIT {

    private static Database database;
    private static HikariDataSource dataSource;
    private static JdbcTransactionManager transactionManager;
    private static JdbcClient jdbc;
    private PreparedTransactions inventory;

    @BeforeAll
    static void startDatabase() {
        database = TestInfra.postgres().freshDatabase("prepared_tx");
        dataSource = dataSource(database);
        transactionManager = new JdbcTransactionManager(dataSource);
        jdbc = JdbcClient.create(dataSource);
        jdbc.sql("CREATE TABLE stock (sku text PRIMARY KEY, available int NOT NULL)").update();
        jdbc.sql("CREATE TABLE reservation (order_id text PRIMARY KEY, sku text NOT NULL)").update();
        jdbc.sql(migration("db/platform/V0_5__twopc_branch.sql")).update();
        jdbc.sql(migration("db/platform/V0_6__twopc_branch_outcome.sql")).update();
    }

    private static String migration(String resource) {
        try (var in = PreparedTransactionsIT.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void close() {
        dataSource.close();
    }

    @BeforeEach
    void seed() {
        inventory = new PreparedTransactions(dataSource, transactionManager, "inventory", Duration.ofSeconds(2));
        for (String sku : new String[] {"SKU-1", "SKU-2", "SKU-3"}) {
            jdbc.sql("INSERT INTO stock VALUES (?, 10) ON CONFLICT (sku) DO UPDATE SET available = 10").param(sku).update();
        }
    }

    @AfterEach
    void cleanUp() {
        for (PreparedTransaction p : inventory.listPrepared(Gid.PREFIX)) {
            jdbc.sql("ROLLBACK PREPARED '" + p.branchGid() + "'").update();
        }
        jdbc.sql("DELETE FROM reservation").update();
    }

    private Vote reserve(String orderId) {
        return reserve(orderId, "SKU-1");
    }

    /** Two transactions prepared at once must touch different rows: the first holds its row locks until resolved. */
    private Vote reserve(String orderId, String sku) {
        int updated = jdbc.sql("UPDATE stock SET available = available - 1 WHERE sku = ? AND available >= 1")
                .param(sku).update();
        if (updated == 0) {
            return Vote.no("OUT_OF_STOCK");
        }
        jdbc.sql("INSERT INTO reservation VALUES (?, ?)").param(orderId).param(sku).update();
        return Vote.yes();
    }

    private int available() {
        return available("SKU-1");
    }

    private int available(String sku) {
        return jdbc.sql("SELECT available FROM stock WHERE sku = ?").param(sku).query(Integer.class).single();
    }

    @Test
    void yesVotePreparesAndHoldsLocksUntilCommitPrepared() throws SQLException {
        String gid = Gid.random();

        Vote vote = inventory.prepare(gid, () -> reserve("o-1"));

        assertThat(vote).isEqualTo(Vote.yes());
        assertThat(inventory.listOwnBranches()).singleElement().satisfies(p -> {
            assertThat(p.branchGid()).isEqualTo(gid + ".inventory");
            assertThat(p.globalGid()).isEqualTo(gid);
            assertThat(p.database()).isEqualTo(database.name());
        });
        assertThat(available()).as("prepared, not committed").isEqualTo(10);
        assertThat(locksHeldBy(gid + ".inventory")).isGreaterThan(0);
        assertThatThrownBy(this::competingUpdate).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55P03"));

        assertThat(inventory.commitPrepared(gid)).isEqualTo(Resolution.Result.COMMITTED);

        assertThat(available()).isEqualTo(9);
        assertThat(jdbc.sql("SELECT count(*) FROM reservation").query(Long.class).single()).isEqualTo(1);
        assertThat(inventory.listOwnBranches()).isEmpty();
        competingUpdate();
    }

    @Test
    void noVoteRollsBackAndPreparesNothing() {
        jdbc.sql("UPDATE stock SET available = 0").update();
        String gid = Gid.random();

        Vote vote = inventory.prepare(gid, () -> {
            jdbc.sql("INSERT INTO reservation VALUES ('o-2', 'SKU-1')").update();
            return reserve("o-2b");
        });

        assertThat(vote).isEqualTo(Vote.no("OUT_OF_STOCK"));
        assertThat(inventory.listPrepared(Gid.PREFIX)).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM reservation").query(Long.class).single()).isZero();
    }

    @Test
    void failingWorkRollsBackAndPropagates() {
        String gid = Gid.random();

        assertThatThrownBy(() -> inventory.prepare(gid, () -> {
            reserve("o-3");
            jdbc.sql("INSERT INTO no_such_table VALUES (1)").update();
            return Vote.yes();
        })).isInstanceOf(DataAccessException.class);

        assertThat(inventory.listPrepared(Gid.PREFIX)).isEmpty();
        assertThat(available()).isEqualTo(10);
    }

    @Test
    void commitAndRollbackAreIdempotent() {
        String committed = Gid.random();
        String rolledBack = Gid.random();
        inventory.prepare(committed, () -> reserve("o-4"));
        inventory.prepare(rolledBack, () -> reserve("o-5", "SKU-2"));

        assertThat(inventory.commitPrepared(committed)).isEqualTo(Resolution.Result.COMMITTED);
        assertThat(inventory.commitPrepared(committed)).isEqualTo(Resolution.Result.ALREADY_RESOLVED);
        assertThat(inventory.rollbackPrepared(committed)).isEqualTo(Resolution.Result.ALREADY_RESOLVED);
        assertThat(inventory.rollbackPrepared(rolledBack)).isEqualTo(Resolution.Result.ROLLED_BACK);
        assertThat(inventory.rollbackPrepared(rolledBack)).isEqualTo(Resolution.Result.ALREADY_RESOLVED);
        assertThat(inventory.commitPrepared(Gid.random())).isEqualTo(Resolution.Result.ALREADY_RESOLVED);

        assertThat(available()).isEqualTo(9);
        assertThat(available("SKU-2")).isEqualTo(10);
        assertThat(jdbc.sql("SELECT order_id FROM reservation").query(String.class).list()).containsExactly("o-4");
    }

    @Test
    void repeatedPrepareAnswersYesWithoutRunningTheWorkAgain() {
        String gid = Gid.random();
        AtomicInteger runs = new AtomicInteger();

        inventory.prepare(gid, () -> {
            runs.incrementAndGet();
            return reserve("o-6");
        });
        Vote again = inventory.prepare(gid, () -> {
            runs.incrementAndGet();
            return reserve("o-6");
        });

        assertThat(again.isYes()).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void nestedRequiredTransactionOfADomainCoreJoinsThePreparedTransaction() {
        // A domain core's @Transactional(REQUIRED) method is a TransactionTemplate with REQUIRED propagation on the
        // same transaction manager: it must run on the connection that gets prepared, not commit on its own.
        TransactionTemplate domainCore = new TransactionTemplate(transactionManager);
        JdbcClient coreJdbc = JdbcClient.create(dataSource);
        String gid = Gid.random();
        long[] pids = new long[2];

        inventory.prepare(gid, () -> {
            pids[0] = jdbc.sql("SELECT pg_backend_pid()").query(Long.class).single();
            return domainCore.execute(status -> {
                pids[1] = coreJdbc.sql("SELECT pg_backend_pid()").query(Long.class).single();
                return reserve("o-7");
            });
        });

        assertThat(pids[1]).isEqualTo(pids[0]);
        assertThat(available()).isEqualTo(10);
        inventory.commitPrepared(gid);
        assertThat(available()).isEqualTo(9);
    }

    @Test
    void branchesOfOneGidCanBePreparedInTwoDatabasesOfTheSameCluster() {
        Database other = TestInfra.postgres().freshDatabase("prepared_tx_payment");
        try (HikariDataSource otherDataSource = dataSource(other)) {
            PreparedTransactions payment = new PreparedTransactions(otherDataSource,
                    new JdbcTransactionManager(otherDataSource), "payment", Duration.ofSeconds(2));
            JdbcClient.create(otherDataSource).sql("CREATE TABLE balance (id int PRIMARY KEY, amount int)").update();
            String gid = Gid.random();

            assertThat(inventory.prepare(gid, () -> reserve("o-8")).isYes()).isTrue();
            assertThat(payment.prepare(gid, () -> {
                JdbcClient.create(otherDataSource).sql("INSERT INTO balance VALUES (1, 5)").update();
                return Vote.yes();
            }).isYes()).isTrue();

            assertThat(inventory.listOwnBranches()).extracting(PreparedTransaction::branchGid)
                    .containsExactly(gid + ".inventory");
            assertThat(payment.listOwnBranches()).extracting(PreparedTransaction::branchGid)
                    .containsExactly(gid + ".payment");
            assertThat(payment.commitPrepared(gid)).isEqualTo(Resolution.Result.COMMITTED);
            assertThat(inventory.rollbackPrepared(gid)).isEqualTo(Resolution.Result.ROLLED_BACK);
        }
    }

    /**
     * What happens to Spring's commit after PREPARE TRANSACTION: the session has no transaction any more. PgJDBC
     * follows the server's transaction status and skips COMMIT when the session is idle, so there is not even a
     * warning; an explicit COMMIT on such a session gets only the server's WARNING, never an error.
     */
    @Test
    void springCommitAfterPrepareIsHarmless() throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE stock SET available = 5");
                s.execute("PREPARE TRANSACTION '" + Gid.random() + ".inventory'");
            }
            c.clearWarnings();
            c.commit();
            assertThat((Object) c.getWarnings()).as("driver commit after PREPARE sends nothing").isNull();

            // What psql (or a driver that did not track the server's status) would do: COMMIT on an idle session.
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
                SQLWarning warning = s.getWarnings() != null ? s.getWarnings() : c.getWarnings();
                assertThat((Object) warning).isNotNull();
                assertThat(warning.getMessage()).contains("there is no transaction in progress");
            }
        }
        assertThat(available()).as("the prepared update is still pending").isEqualTo(10);
    }

    @Test
    void recoveryResolvesBranchesWithTheCoordinatorsDecision() throws Exception {
        String toCommit = Gid.random();
        String toAbort = Gid.random();
        String pending = Gid.random();
        inventory.prepare(toCommit, () -> reserve("o-9"));
        inventory.prepare(toAbort, () -> reserve("o-10", "SKU-2"));
        inventory.prepare(pending, () -> reserve("o-11", "SKU-3"));
        Map<String, String> decisions = new ConcurrentHashMap<>(Map.of(toCommit, "COMMIT", pending, "PENDING"));
        HttpServer coordinator = coordinatorAnswering(
                gid -> "{\"gid\":\"" + gid + "\",\"decision\":\"" + decisions.getOrDefault(gid, "ABORT") + "\"}");
        try {
            List<String> committed = new CopyOnWriteArrayList<>();
            ParticipantRecovery recovery = new ParticipantRecovery(inventory,
                    new CoordinatorClient(URI.create("http://127.0.0.1:" + coordinator.getAddress().getPort()), ""),
                    Duration.ofHours(1), Duration.ZERO, committed::add);

            assertThat(recovery.recoverOnce()).isEqualTo(2);
            assertThat(committed).as("told of the commit it made, not of the abort").containsExactly(toCommit);

            assertThat(inventory.listOwnBranches()).extracting(PreparedTransaction::globalGid).containsExactly(pending);
            assertThat(jdbc.sql("SELECT order_id FROM reservation").query(String.class).list()).containsExactly("o-9");
        } finally {
            coordinator.stop(0);
        }
    }

    @Test
    void aPhaseTwoMessageForTheOppositeOfWhatHappenedIsAnsweredResolvedOtherwise() {
        String committed = Gid.random();
        String rolledBack = Gid.random();
        inventory.prepare(committed, new PreparedTransactions.Request("f-committed", "epoch-1"), () -> reserve("o-22"));
        inventory.prepare(rolledBack, new PreparedTransactions.Request("f-rolled-back", "epoch-1"),
                () -> reserve("o-23", "SKU-2"));
        assertThat(inventory.commitPrepared(committed)).isEqualTo(Resolution.Result.COMMITTED);
        assertThat(inventory.rollbackPrepared(rolledBack)).isEqualTo(Resolution.Result.ROLLED_BACK);

        // the same message again is a repeat; the opposite one is not an acknowledgement of anything
        assertThat(inventory.commitPrepared(committed)).isEqualTo(Resolution.Result.ALREADY_RESOLVED);
        assertThat(inventory.rollbackPrepared(committed)).isEqualTo(Resolution.Result.RESOLVED_OTHERWISE);
        assertThat(inventory.rollbackPrepared(rolledBack)).isEqualTo(Resolution.Result.ALREADY_RESOLVED);
        assertThat(inventory.commitPrepared(rolledBack)).isEqualTo(Resolution.Result.RESOLVED_OTHERWISE);
        assertThat(jdbc.sql("SELECT order_id FROM reservation WHERE order_id IN ('o-22', 'o-23')").query(String.class).list())
                .containsExactly("o-22");
    }

    @Test
    void anotherRequestForAGidAlreadyPreparedIsRefusedAndTheSameOneAnswersYesAgain() {
        String gid = Gid.random();
        Supplier<Vote> mustNotRun = () -> {
            throw new AssertionError("the work ran again");
        };

        Vote first = inventory.prepare(gid, new PreparedTransactions.Request("fingerprint-a", "epoch-1"),
                () -> reserve("o-20"));
        Vote other = inventory.prepare(gid, new PreparedTransactions.Request("fingerprint-b", "epoch-1"), mustNotRun);
        Vote same = inventory.prepare(gid, new PreparedTransactions.Request("fingerprint-a", "epoch-1"), mustNotRun);

        assertThat(first.isYes()).isTrue();
        assertThat(other.isYes()).isFalse();
        assertThat(other.reason()).startsWith("CONFLICT");
        assertThat(same.isYes()).isTrue();
        assertThat(inventory.listOwnBranches()).extracting(PreparedTransaction::globalGid).containsExactly(gid);
    }

    @Test
    void aPresumedAbortFromACoordinatorLogThatNeverKnewTheBranchParksItInsteadOfRollingBack() throws Exception {
        String gid = Gid.random();
        inventory.prepare(gid, new PreparedTransactions.Request("fingerprint", "epoch-lost"), () -> reserve("o-21"));
        AtomicReference<String> epoch = new AtomicReference<>("epoch-new");
        HttpServer coordinator = coordinatorAnswering(asked -> "{\"gid\":\"" + asked
                + "\",\"decision\":\"ABORT\",\"epoch\":\"" + epoch.get() + "\",\"presumed\":true}");
        try {
            ParticipantRecovery recovery = new ParticipantRecovery(inventory,
                    new CoordinatorClient(URI.create("http://127.0.0.1:" + coordinator.getAddress().getPort()), ""),
                    Duration.ofHours(1), Duration.ZERO);

            assertThat(recovery.recoverOnce()).isZero();
            assertThat(recovery.parked()).containsExactly(gid);
            assertThat(inventory.listOwnBranches()).extracting(PreparedTransaction::globalGid).containsExactly(gid);

            // The same log that the branch was prepared under presumes ABORT: it never began the transaction.
            epoch.set("epoch-lost");
            assertThat(recovery.recoverOnce()).isEqualTo(1);
            assertThat(recovery.parked()).isEmpty();
            assertThat(inventory.listOwnBranches()).isEmpty();
        } finally {
            coordinator.stop(0);
        }
    }

    @Test
    void invalidGidsNeverReachSql() {
        assertThatThrownBy(() -> inventory.commitPrepared("txlab_x'; DROP TABLE stock; --"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inventory.prepare("TXLAB_" + java.util.UUID.randomUUID(), Vote::yes))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A coordinator's {@code GET /transactions/{gid}}, answering {@code json} of the gid asked about. */
    private static HttpServer coordinatorAnswering(java.util.function.Function<String, String> json)
            throws java.io.IOException {
        HttpServer coordinator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        coordinator.createContext("/transactions/", exchange -> {
            String gid = exchange.getRequestURI().getPath().substring("/transactions/".length());
            byte[] body = json.apply(gid).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        coordinator.start();
        return coordinator;
    }

    private void competingUpdate() throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
             Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = '200ms'");
            s.executeUpdate("UPDATE stock SET available = available WHERE sku = 'SKU-1'");
        }
    }

    private long locksHeldBy(String branchGid) {
        return jdbc.sql("""
                        SELECT count(*) FROM pg_locks l
                        WHERE l.pid IS NULL AND l.virtualtransaction = (
                            SELECT x.virtualtransaction FROM pg_locks x JOIN pg_prepared_xacts p
                              ON x.locktype = 'transactionid' AND x.transactionid = p.transaction
                            WHERE p.gid = ?)""")
                .param(branchGid).query(Long.class).single();
    }

    private static HikariDataSource dataSource(Database db) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(db.jdbcUrl());
        ds.setUsername(db.username());
        ds.setPassword(db.password());
        ds.setMaximumPoolSize(4);
        return ds;
    }
}

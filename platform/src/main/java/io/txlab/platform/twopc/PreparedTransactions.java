package io.txlab.platform.twopc;

import io.txlab.contracts.twopc.Gid;
import io.txlab.contracts.twopc.Resolution;
import io.txlab.contracts.twopc.Vote;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The participant side of the {@code twopc} flow: runs a unit of work in a local transaction and, instead of
 * committing it, hands it to PostgreSQL with {@code PREPARE TRANSACTION}. The prepared transaction then lives in the
 * database (it survives a crash of this process and of PostgreSQL itself, keeping its row locks) until
 * {@link #commitPrepared} or {@link #rollbackPrepared} ends it - on the coordinator's word, from any process.
 *
 * <p>How the work joins the prepared transaction: {@link #prepare} opens a Spring transaction with the service's own
 * {@link PlatformTransactionManager}, so the domain core's {@code @Transactional} methods (propagation REQUIRED) and
 * every {@code JdbcClient}/{@code JdbcTemplate} over the same {@link DataSource} run on the one connection bound to
 * it. When the work votes YES the last statement on that connection is {@code PREPARE TRANSACTION '<branch gid>'};
 * the session is then outside any transaction. Spring's commit that follows is harmless: PgJDBC tracks the server's
 * transaction status from each ReadyForQuery message, sees the session idle after PREPARE and sends nothing
 * (checked on PostgreSQL 17 in {@code PreparedTransactionsIT#springCommitAfterPrepareIsHarmless}); a driver that
 * did send {@code COMMIT} would only get the server's {@code WARNING: there is no transaction in progress} (what
 * psql shows). Consequences for the work: it must have issued all its SQL before returning (no deferred flush at
 * commit time, as JPA would do), and {@code afterCommit} synchronizations fire at PREPARE, not at COMMIT PREPARED.
 *
 * <p>Branch gids: the PostgreSQL gid is {@code <gid>.<branch>} (see {@link Gid}); gids are validated before they are
 * interpolated into SQL, since PREPARE/COMMIT PREPARED/ROLLBACK PREPARED accept no bind parameters.
 */
public class PreparedTransactions {

    private static final Logger log = LoggerFactory.getLogger(PreparedTransactions.class);

    /** SQLSTATE undefined_object: "prepared transaction with identifier ... does not exist". */
    private static final String UNDEFINED_OBJECT = "42704";

    private final JdbcClient jdbc;
    private final TransactionTemplate inTransaction;
    private final TransactionTemplate outsideTransaction;
    private final String branch;
    private final Duration lockTimeout;

    /**
     * @param lockTimeout bounds how long the work waits for a row lock (another prepared transaction may hold it
     *                    for as long as its coordinator is away); it must stay below the coordinator's prepare
     *                    timeout so a blocked participant votes NO instead of timing out the call
     */
    public PreparedTransactions(DataSource dataSource, PlatformTransactionManager transactionManager, String branch,
                                Duration lockTimeout) {
        this.jdbc = JdbcClient.create(dataSource);
        this.inTransaction = new TransactionTemplate(transactionManager);
        this.inTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // COMMIT/ROLLBACK PREPARED cannot run inside a transaction block: suspend any caller transaction.
        this.outsideTransaction = new TransactionTemplate(transactionManager);
        this.outsideTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        this.branch = Gid.requireValidBranch(branch);
        this.lockTimeout = lockTimeout;
    }

    public String branch() {
        return branch;
    }

    /** What a prepare request was (its fingerprint) and who sent it (the coordinator's epoch, or null). */
    public record Request(String fingerprint, String coordinatorEpoch) {
    }

    /**
     * {@link #prepare(String, Supplier)} for a request that is first recorded with the gid (in its own small
     * transaction, committed before the branch's): a request with another fingerprint for a gid already recorded is
     * refused with NO and its work never runs, and the coordinator's epoch is kept for {@link ParticipantRecovery}.
     */
    public Vote prepare(String gid, Request request, Supplier<Vote> work) {
        Gid.requireValid(gid);
        String recorded = record(gid, request);
        if (!request.fingerprint().equals(recorded)) {
            log.warn("prepare {}: refused, the gid was prepared for another request", Gid.branchGid(gid, branch));
            return Vote.no("CONFLICT: gid " + gid + " was prepared for another request");
        }
        return prepare(gid, work);
    }

    /** Records the request unless the gid has one; returns the gid's recorded fingerprint. */
    private String record(String gid, Request request) {
        // Its own transaction with an asynchronous commit: no extra fsync per prepare. A crash may lose the row, and
        // then the branch behaves as one prepared without a record (no fingerprint check, plain presumed abort).
        return inTransaction.execute(status -> jdbc.sql("""
                        WITH async AS (SELECT set_config('synchronous_commit', 'off', true)),
                             inserted AS (INSERT INTO twopc_branch (gid, fingerprint, coordinator_epoch)
                                          SELECT ?, ?, ? FROM async
                                          ON CONFLICT (gid) DO NOTHING RETURNING fingerprint)
                        SELECT fingerprint FROM inserted
                        UNION ALL SELECT fingerprint FROM twopc_branch WHERE gid = ?
                        LIMIT 1""")
                .param(gid).param(request.fingerprint()).param(request.coordinatorEpoch()).param(gid)
                .query(String.class).single());
    }

    /** The coordinator epoch recorded with {@code gid}'s prepare, if any. */
    public Optional<String> recordedEpoch(String gid) {
        return outsideTransaction.execute(status -> jdbc.sql(
                        "SELECT coordinator_epoch FROM twopc_branch WHERE gid = ? AND coordinator_epoch IS NOT NULL")
                .param(gid).query(String.class).optional());
    }

    /** Deletes the records of branches recorded before {@code cutoff} that are no longer prepared; returns how many. */
    public int purgeRecords(Instant cutoff) {
        return outsideTransaction.execute(status -> jdbc.sql("""
                        DELETE FROM twopc_branch b
                        WHERE created_at < ?
                          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_prepared_xacts p
                                          WHERE p.gid = b.gid || '.' || ? AND p.database = current_database())""")
                .param(Timestamp.from(cutoff)).param(branch).update());
    }

    /**
     * Runs {@code work} in a new local transaction and ends it with {@code PREPARE TRANSACTION} when it votes YES, or
     * rolls it back when it votes NO (a business refusal) or throws (the exception propagates after the rollback).
     * A work that marks the transaction rollback-only is treated as NO. Idempotent: when this gid's branch is already
     * prepared the work is not run again and the answer is YES.
     */
    public Vote prepare(String gid, Supplier<Vote> work) {
        String branchGid = Gid.branchGid(gid, branch);
        return inTransaction.execute(status -> {
            // One round trip opens the transaction: its lock timeout, and whether this branch is already prepared
            // (a repeated prepare must not run the work again: it would wait on the prepared branch's own locks).
            boolean alreadyPrepared = jdbc.sql("""
                            SELECT set_config('lock_timeout', ?, true) IS NOT NULL
                               AND EXISTS (SELECT 1 FROM pg_catalog.pg_prepared_xacts
                                           WHERE gid = ? AND database = current_database())""")
                    .param(lockTimeout.toMillis() + "ms").param(branchGid).query(Boolean.class).single();
            if (alreadyPrepared) {
                status.setRollbackOnly();
                log.info("prepare {}: already prepared, answering YES again", branchGid);
                return Vote.yes();
            }
            Vote vote = work.get();
            if (vote == null || !vote.isYes() || status.isRollbackOnly()) {
                status.setRollbackOnly();
                Vote no = vote != null && !vote.isYes() ? vote : Vote.no("TECHNICAL_FAILURE: transaction marked rollback-only");
                log.debug("prepare {}: voted NO ({}), rolled back", branchGid, no.reason());
                return no;
            }
            jdbc.sql("PREPARE TRANSACTION '" + branchGid + "'").update();
            log.debug("prepare {}: prepared", branchGid);
            return vote;
        });
    }

    /** {@code COMMIT PREPARED}; {@code ALREADY_RESOLVED} when the branch is no longer prepared. */
    public Resolution.Result commitPrepared(String gid) {
        return finish(gid, "COMMIT PREPARED", Resolution.Result.COMMITTED);
    }

    /** {@code ROLLBACK PREPARED}; {@code ALREADY_RESOLVED} when the branch is no longer prepared. */
    public Resolution.Result rollbackPrepared(String gid) {
        return finish(gid, "ROLLBACK PREPARED", Resolution.Result.ROLLED_BACK);
    }

    private Resolution.Result finish(String gid, String command, Resolution.Result done) {
        String branchGid = Gid.branchGid(gid, branch);
        return outsideTransaction.execute(status -> {
            try {
                jdbc.sql(command + " '" + branchGid + "'").update();
            } catch (DataAccessException e) {
                if (UNDEFINED_OBJECT.equals(sqlState(e))) {
                    return alreadyResolved(gid, command, done);
                }
                throw e;
            }
            log.debug("{} {}", command, branchGid);
            try {
                // asynchronous commit, like the prepare's record: losing it in a crash only weakens alreadyResolved
                jdbc.sql("""
                                WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
                                UPDATE twopc_branch SET outcome = ? FROM async WHERE gid = ?""")
                        .param(done.name()).param(gid).update();
            } catch (DataAccessException e) {
                // the branch is resolved whatever happens to its record: answer what happened
                log.warn("{} {}: done, but its outcome was not recorded: {}", command, branchGid,
                        e.getMostSpecificCause().getMessage());
            }
            return done;
        });
    }

    /**
     * PostgreSQL forgets a gid once resolved: the recorded outcome tells a repeated message (or one for a branch that
     * never prepared) from one asking for the opposite of what happened.
     */
    private Resolution.Result alreadyResolved(String gid, String command, Resolution.Result wanted) {
        String recorded = jdbc.sql("SELECT outcome FROM twopc_branch WHERE gid = ?").param(gid)
                .query(String.class).optional().orElse(null);
        if (recorded != null && !recorded.equals(wanted.name())) {
            log.error("{} {}: this branch was {} — refusing to report it resolved as asked; the coordinator has a "
                    + "heuristic outcome to reconcile", command, Gid.branchGid(gid, branch), recorded);
            return Resolution.Result.RESOLVED_OTHERWISE;
        }
        log.info("{} {}: not prepared any more, already resolved", command, Gid.branchGid(gid, branch));
        return Resolution.Result.ALREADY_RESOLVED;
    }

    /** This database's prepared transactions whose PostgreSQL gid starts with {@code prefix}, oldest first. */
    public List<PreparedTransaction> listPrepared(String prefix) {
        String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return outsideTransaction.execute(status -> jdbc.sql("""
                        SELECT gid, transaction::text AS xid, prepared, owner::text AS owner, database::text AS database
                        FROM pg_catalog.pg_prepared_xacts
                        WHERE database = current_database() AND gid LIKE ?
                        ORDER BY prepared""")
                .param(like)
                .query((rs, n) -> new PreparedTransaction(rs.getString("gid"), Gid.globalOf(rs.getString("gid")),
                        rs.getString("xid"), rs.getTimestamp("prepared").toInstant(), rs.getString("owner"),
                        rs.getString("database")))
                .list());
    }

    /** Our branches (this branch name, txlab gids) prepared in this database. */
    public List<PreparedTransaction> listOwnBranches() {
        String suffix = "." + branch;
        return listPrepared(Gid.PREFIX).stream()
                .filter(p -> p.globalGid() != null && p.branchGid().endsWith(suffix))
                .toList();
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}

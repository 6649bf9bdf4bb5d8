package io.txlab.twopc.protocol;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator's durable decision log (table {@code twopc_transaction}).
 *
 * <p>Presumed abort decides which writes must be forced to disk before the protocol moves on: only the COMMIT
 * decision. It is written with {@code synchronous_commit = on} set on the transaction itself (not left to the server
 * default), and no {@code COMMIT PREPARED} is sent before it returns. Every other record is written with
 * {@code synchronous_commit = off}: losing BEGUN, an ABORT decision or a completion in a crash only makes the
 * transaction unknown or unfinished, and an unknown gid is answered ABORT while an unfinished one is re-driven.
 * Decisions are conditional on the row still being BEGUN, so the request thread and recovery's timeout abort can
 * never log opposite decisions for one gid.
 */
@Repository
public class DecisionLog {

    private static final TypeReference<List<ParticipantEndpoint>> PARTICIPANTS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private volatile String epoch;

    public DecisionLog(JdbcClient jdbc, PlatformTransactionManager transactionManager, JsonMapper json) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactionManager);
        this.json = json;
    }

    /** This log's identity (ADR 19), read once: it never changes for a database. */
    public String epoch() {
        String cached = epoch;
        if (cached == null) {
            cached = jdbc.sql("SELECT epoch::text FROM coordinator_epoch").query(String.class).single();
            epoch = cached;
        }
        return cached;
    }

    /** Logs BEGUN (not forced); false when the gid is already logged. */
    public boolean begin(String gid, List<ParticipantEndpoint> participants) {
        String participantsJson = json.writeValueAsString(participants);
        return Boolean.TRUE.equals(tx.execute(status -> {
            synchronousCommit(false);
            return jdbc.sql("""
                            INSERT INTO twopc_transaction (gid, state, participants)
                            VALUES (?, 'BEGUN', ?::jsonb) ON CONFLICT (gid) DO NOTHING""")
                    .param(gid).param(participantsJson).update() == 1;
        }));
    }

    /**
     * Forces the COMMIT decision to disk; false when the transaction was no longer BEGUN (recovery's timeout already
     * decided ABORT), in which case the caller must abort.
     */
    public boolean decideCommit(String gid, Duration phaseTwoGrace) {
        return decide(gid, TransactionState.COMMITTING, true, phaseTwoGrace);
    }

    /** Logs the ABORT decision lazily; false when the transaction was already decided. */
    public boolean decideAbort(String gid, Duration phaseTwoGrace) {
        return decide(gid, TransactionState.ABORTING, false, phaseTwoGrace);
    }

    private boolean decide(String gid, TransactionState decided, boolean forced, Duration phaseTwoGrace) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            synchronousCommit(forced);
            return jdbc.sql("""
                            UPDATE twopc_transaction
                            SET state = ?, decided_at = now(), next_attempt_at = now() + make_interval(secs => ?)
                            WHERE gid = ? AND state = 'BEGUN'""")
                    .param(decided.name()).param(seconds(phaseTwoGrace)).param(gid).update() == 1;
        }));
    }

    /** Phase two acknowledged by every participant (not forced: a lost completion is only re-driven). */
    public void complete(String gid, TransactionState from) {
        TransactionState done = from == TransactionState.COMMITTING ? TransactionState.COMMITTED : TransactionState.ABORTED;
        tx.executeWithoutResult(status -> {
            synchronousCommit(false);
            jdbc.sql("""
                            UPDATE twopc_transaction SET state = ?, completed_at = now(), next_attempt_at = NULL
                            WHERE gid = ? AND state = ?""")
                    .param(done.name()).param(gid).param(from.name()).update();
        });
    }

    /** Phase two incomplete: count the attempt and schedule the next one. */
    public void phaseTwoFailed(String gid, String error, Duration backoff) {
        tx.executeWithoutResult(status -> {
            synchronousCommit(false);
            jdbc.sql("""
                            UPDATE twopc_transaction
                            SET attempts = attempts + 1, last_error = left(?, 2000),
                                next_attempt_at = now() + make_interval(secs => ?)
                            WHERE gid = ? AND state IN ('COMMITTING', 'ABORTING')""")
                    .param(error).param(seconds(backoff)).param(gid).update();
        });
    }

    /**
     * Decides ABORT for transactions BEGUN longer than {@code timeout} ago (their coordinator thread died or is stuck)
     * and makes them due for phase two now. Returns their gids.
     */
    public List<String> abortExpired(Duration timeout) {
        return tx.execute(status -> {
            synchronousCommit(false);
            return jdbc.sql("""
                            UPDATE twopc_transaction
                            SET state = 'ABORTING', decided_at = now(), next_attempt_at = now(),
                                last_error = 'no decision within the prepare timeout'
                            WHERE state = 'BEGUN' AND created_at < now() - make_interval(secs => ?)
                            RETURNING gid""")
                    .param(seconds(timeout)).query(String.class).list();
        });
    }

    /**
     * Claims up to {@code limit} decided-but-unfinished transactions whose next attempt is due, leasing them for
     * {@code lease} so a second coordinator instance (or the next pass) skips them meanwhile.
     */
    public List<LoggedTransaction> claimDue(int limit, Duration lease) {
        return tx.execute(status -> {
            List<LoggedTransaction> due = jdbc.sql("""
                            SELECT * FROM twopc_transaction
                            WHERE state IN ('COMMITTING', 'ABORTING') AND next_attempt_at <= now()
                            ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                    .param(limit).query(this::map).list();
            for (LoggedTransaction t : due) {
                jdbc.sql("UPDATE twopc_transaction SET next_attempt_at = now() + make_interval(secs => ?) WHERE gid = ?")
                        .param(seconds(lease)).param(t.gid()).update();
            }
            return due;
        });
    }

    public Optional<LoggedTransaction> find(String gid) {
        return jdbc.sql("SELECT * FROM twopc_transaction WHERE gid = ?").param(gid).query(this::map).optional();
    }

    private void synchronousCommit(boolean on) {
        jdbc.sql("SELECT set_config('synchronous_commit', ?, true)").param(on ? "on" : "off").query().singleValue();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private LoggedTransaction map(ResultSet rs, int row) throws SQLException {
        return new LoggedTransaction(rs.getString("gid"), TransactionState.valueOf(rs.getString("state")),
                json.readValue(rs.getString("participants"), PARTICIPANTS), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("decided_at")), instant(rs.getTimestamp("completed_at")), rs.getInt("attempts"),
                rs.getString("last_error"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}

package io.txlab.platform.messaging;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure that will pass by itself (the database or broker is down or restarting, a serialization failure,
 * a deadlock, a lock timeout) from one that will not (a malformed or invalid message, a bug). A saga event that met a
 * transient failure is valid and must be applied once the dependency is back; dead-lettering it would strand its
 * order PENDING with stock or money held. Only the other kind becomes a dead letter.
 */
public final class TransientFailures {

    /**
     * PostgreSQL SQLSTATEs that a retry can get past: serialization failure, deadlock, lock not available, admin or
     * crash shutdown, cannot connect now, too many connections, and (by class) connection exceptions ({@code 08xxx}).
     */
    private static final Set<String> TRANSIENT_SQLSTATES =
            Set.of("40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300");

    private TransientFailures() {
    }

    /** Whether {@code failure} or any of its causes is transient. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException
                    || cause instanceof RetriableException
                    || cause instanceof ConnectException
                    || cause instanceof SocketTimeoutException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || TRANSIENT_SQLSTATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}

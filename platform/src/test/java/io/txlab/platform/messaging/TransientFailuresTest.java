package io.txlab.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.transaction.CannotCreateTransactionException;

class TransientFailuresTest {

    @Test
    void aDatabaseThatIsDownOrBusyIsTransientHoweverDeeplyWrapped() {
        PSQLException refused = new PSQLException("Connection to 127.0.0.1:15433 refused",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused"));
        assertThat(TransientFailures.isTransient(new ListenerExecutionFailedException("listener failed",
                new CannotCreateTransactionException("no connection", new CannotGetJdbcConnectionException("x",
                        refused))))).isTrue();
        assertThat(TransientFailures.isTransient(new ListenerExecutionFailedException("listener failed", refused)))
                .isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(TransientFailures.isTransient(new TimeoutException("broker not available"))).isTrue();
    }

    @Test
    void aBadMessageOrABugIsNotTransient() {
        assertThat(TransientFailures.isTransient(new ListenerExecutionFailedException("listener failed",
                new DataIntegrityViolationException("duplicate key")))).isFalse();
        assertThat(TransientFailures.isTransient(new SerializationException("not json"))).isFalse();
        assertThat(TransientFailures.isTransient(new IllegalArgumentException("unknown eventType"))).isFalse();
        assertThat(TransientFailures.isTransient(new SQLException("division by zero", "22012"))).isFalse();
        assertThat(TransientFailures.isTransient(new NullPointerException())).isFalse();
    }
}

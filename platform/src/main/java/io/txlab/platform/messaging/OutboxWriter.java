package io.txlab.platform.messaging;

import io.txlab.contracts.SagaEvent;
import io.txlab.platform.tracing.OutboxTraceContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Writes a {@link SagaEvent} into the service's {@code outbox} table (migration {@code db/platform/V0_3__outbox.sql})
 * in the caller's transaction, so the event exists if and only if the business change committed. A relay (Debezium
 * embedded or the polling relay) publishes it to Kafka later, at least once. The current trace context goes into the
 * row's {@code trace_headers} (V0_4) so the relay's send continues the order's trace.
 */
public class OutboxWriter {

    /** The channel the polling relay LISTENs on; notified at commit so it need not wait for its next poll. */
    public static final String NOTIFY_CHANNEL = "txlab_outbox";

    private final JdbcClient jdbc;
    private final boolean notifyRelay;
    private final OutboxTraceContext trace;
    private final Runnable committed;

    /**
     * @param notifyRelay whether to {@code NOTIFY} the polling relay; off under Debezium, which reads the WAL and
     *                    would only pay for NOTIFY's commit-time global lock
     * @param committed   run after each commit that wrote a row (in this JVM, no database round trip): wakes the
     *                    Debezium relay's streaming thread ({@code RelayPause}, adr/0022); null for none
     */
    public OutboxWriter(JdbcClient jdbc, boolean notifyRelay, OutboxTraceContext trace, Runnable committed) {
        this.jdbc = jdbc;
        this.notifyRelay = notifyRelay;
        this.trace = trace;
        this.committed = committed;
    }

    public OutboxWriter(JdbcClient jdbc, boolean notifyRelay, OutboxTraceContext trace) {
        this(jdbc, notifyRelay, trace, null);
    }

    /** Without tracing: rows carry no trace context. */
    public OutboxWriter(JdbcClient jdbc, boolean notifyRelay) {
        this(jdbc, notifyRelay, OutboxTraceContext.noop());
    }

    /** @throws IllegalStateException outside a transaction: the row must commit with the change that caused it */
    public void write(SagaEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("outbox rows must be written in the business transaction");
        }
        jdbc.sql("""
                        INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, trace_headers)
                        VALUES (?, ?, ?, ?, ?, ?)""")
                .params(event.eventId(), event.topic(), event.orderId().toString(), event.eventType(),
                        SagaEventJson.write(event), trace.capture())
                .update();
        if (notifyRelay) {
            // Delivered at commit, and not at all on rollback; repeated notifications in one transaction fold into one.
            jdbc.sql("SELECT pg_notify('" + NOTIFY_CHANNEL + "', '')").query().singleValue();
        }
        if (committed != null) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed.run();
                }
            });
        }
    }
}

package io.txlab.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.base.ChangeEventQueue;
import io.debezium.pipeline.DataChangeEvent;
import io.debezium.util.LoggingContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The queue tuning {@link QuietPostgresConnector} relies on, against the Debezium on the classpath: an upgrade that
 * renames the field or stops signalling the waiting poll on enqueue fails here rather than silently bringing back the
 * idle spin or slowing every relayed hop.
 */
class QuietPostgresConnectorTest {

    private static ChangeEventQueue<DataChangeEvent> queue() {
        return new ChangeEventQueue.Builder<DataChangeEvent>()
                .pollInterval(Duration.ofMillis(10))
                .maxBatchSize(1)
                .maxQueueSize(8192)
                .loggingContextSupplier(() -> LoggingContext.forConnector("postgres", "test", "queue"))
                .build();
    }

    @Test
    void anEmptyPollWaitsTheTunedWaitInsteadOfThePollInterval() throws Exception {
        ChangeEventQueue<DataChangeEvent> queue = queue();
        QuietPostgresConnector.tune(queue, Duration.ofMillis(600));

        long started = System.nanoTime();
        assertThat(queue.poll()).isEmpty();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                .as("an empty poll waited the tuned 600 ms, not the 10 ms it was built with")
                .isGreaterThanOrEqualTo(550);
    }

    @Test
    void aRecordEndsTheWaitWithoutWaitingItOut() throws Exception {
        ChangeEventQueue<DataChangeEvent> queue = queue();
        QuietPostgresConnector.tune(queue, Duration.ofSeconds(5));
        DataChangeEvent event = new DataChangeEvent(new SourceRecord(null, null, "outbox", null, "value"));

        CompletableFuture<List<DataChangeEvent>> polled = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.poll();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        long enqueued = System.nanoTime();
        queue.enqueue(event);

        assertThat(polled.get(10, TimeUnit.SECONDS)).containsExactly(event);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - enqueued))
                .as("the poll returned when the record arrived, well before its 5 s wait ran out")
                .isLessThan(2500);
    }
}

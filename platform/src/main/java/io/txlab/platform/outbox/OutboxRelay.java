package io.txlab.platform.outbox;

/** Moves committed outbox rows to Kafka, at least once. Started when the service is ready, stopped on shutdown. */
public interface OutboxRelay {

    void start();

    void stop();

    boolean isRunning();
}

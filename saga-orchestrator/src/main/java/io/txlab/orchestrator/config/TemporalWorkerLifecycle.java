package io.txlab.orchestrator.config;

import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Starts polling only once the application is ready (HTTP up, health reporting), and on context close stops taking
 * new tasks and waits up to the shutdown timeout for the ones in flight. Workflow tasks abandoned by a hard kill are
 * not lost: the server times them out and hands them to the next worker.
 */
class TemporalWorkerLifecycle implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TemporalWorkerLifecycle.class);

    private final WorkerFactory factory;
    private final Duration shutdownTimeout;

    TemporalWorkerLifecycle(WorkerFactory factory, Duration shutdownTimeout) {
        this.factory = factory;
        this.shutdownTimeout = shutdownTimeout;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        factory.start();
        log.info("Temporal workers started");
    }

    @Override
    public void destroy() {
        if (!factory.isStarted()) {
            return;
        }
        factory.shutdown();
        factory.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!factory.isTerminated()) {
            log.warn("Temporal workers still busy after {}, stopping them now", shutdownTimeout);
            factory.shutdownNow();
        }
    }
}

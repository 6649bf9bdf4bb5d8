package io.txlab.platform.orchestration;

import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Starts polling only once the application is ready (HTTP up, health reporting), and on context close stops taking
 * new tasks and waits up to the shutdown timeout for the ones in flight. Tasks abandoned by a hard kill are not lost:
 * the server times them out and hands them to the next worker.
 *
 * <p>{@link WorkerFactory#start()} asks the server about the namespace first, so it fails while Temporal is
 * unreachable. The application must run anyway (its other flows and its REST API do not need Temporal): the failure
 * is logged, health reports the workers as not started, and a background thread retries until the start succeeds.
 */
public class TemporalWorkerLifecycle implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TemporalWorkerLifecycle.class);

    private final WorkerFactory factory;
    private final List<String> taskQueues;
    private final Duration retryInterval;
    private final Duration shutdownTimeout;
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "temporal-worker-start");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean started;
    private volatile boolean closed;

    public TemporalWorkerLifecycle(WorkerFactory factory, List<String> taskQueues, Duration retryInterval,
                                   Duration shutdownTimeout) {
        this.factory = factory;
        this.taskQueues = List.copyOf(taskQueues);
        this.retryInterval = retryInterval;
        this.shutdownTimeout = shutdownTimeout;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (taskQueues.isEmpty()) {
            return;
        }
        starter.execute(this::attemptStart);
    }

    private void attemptStart() {
        if (closed) {
            return;
        }
        try {
            factory.start();
            started = true;
            log.info("Temporal workers started on task queues {}", taskQueues);
        } catch (RuntimeException e) {
            log.warn("Temporal workers on {} could not start ({}); retrying in {}", taskQueues, e.toString(),
                    retryInterval);
            starter.schedule(this::attemptStart, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public boolean isStarted() {
        return started;
    }

    public List<String> taskQueues() {
        return taskQueues;
    }

    @Override
    public void destroy() {
        closed = true;
        starter.shutdownNow();
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

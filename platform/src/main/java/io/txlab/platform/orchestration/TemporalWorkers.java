package io.txlab.platform.orchestration;

import io.temporal.worker.Worker;

/**
 * What one application contributes to the shared Temporal worker factory: a task queue and the workflow or activity
 * implementations registered on it. Declare one bean per task queue (saga-orchestrator: the workflow on
 * {@code saga-orchestrator}; each service: its activities on its own queue). The platform creates the worker with the
 * configured {@link TemporalProperties} options and starts polling once the application is ready.
 */
public interface TemporalWorkers {

    String taskQueue();

    /** Registers implementations on the worker polling {@link #taskQueue()}. */
    void register(Worker worker);

    /** A contribution registering activity implementations (Spring beans, so they are shared by all threads). */
    static TemporalWorkers activities(String taskQueue, Object... implementations) {
        return new TemporalWorkers() {
            @Override
            public String taskQueue() {
                return taskQueue;
            }

            @Override
            public void register(Worker worker) {
                worker.registerActivitiesImplementations(implementations);
            }
        };
    }

    /** A contribution registering workflow implementation types. */
    static TemporalWorkers workflows(String taskQueue, Class<?>... implementationTypes) {
        return new TemporalWorkers() {
            @Override
            public String taskQueue() {
                return taskQueue;
            }

            @Override
            public void register(Worker worker) {
                worker.registerWorkflowImplementationTypes(implementationTypes);
            }
        };
    }
}

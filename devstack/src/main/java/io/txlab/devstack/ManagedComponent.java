package io.txlab.devstack;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * One process of the local stack. Implementations keep no state that matters in memory: the PID lives in the
 * component's pid file, so a later CLI invocation can stop, kill or restart what an earlier one started.
 */
public interface ManagedComponent {

    String name();

    int port();

    /** Starts the process (a no-op if it already runs) and returns once it is ready; throws if it is not in time. */
    void start();

    /** Graceful shutdown, escalating to SIGKILL after a grace period; waits until the process is gone. */
    void stop();

    /** SIGKILL by PID, like a pod kill: no shutdown hooks, no flush. */
    void kill();

    /** Whether the component answers its readiness probe right now. */
    boolean isReady();

    /** The PID from the pid file, if the file exists. */
    OptionalLong pid();

    Path logFile();
}

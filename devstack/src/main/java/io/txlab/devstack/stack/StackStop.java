package io.txlab.devstack.stack;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.ComponentSpec;
import io.txlab.devstack.ManagedComponent;
import io.txlab.devstack.Topology;
import io.txlab.devstack.process.ProcessControl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Stopping a stack's components by PID: in reverse start order, each wave in parallel. */
final class StackStop {

    private final Stack stack;

    StackStop(Stack stack) {
        this.stack = stack;
    }

    /** Stops those of {@code names} that are alive, saying why first. */
    void stopAll(List<String> names, String reason) {
        List<String> alive = names.stream()
                .filter(n -> stack.launcher(n).pid().stream().anyMatch(ProcessControl::isAlive))
                .toList();
        if (alive.isEmpty()) {
            return;
        }
        stack.progress(reason + " " + String.join(", ", alive));
        stopInWaves(alive);
    }

    /** Stops in reverse start order (services, then Kafka and Temporal, then PostgreSQL), each wave in parallel. */
    private void stopInWaves(List<String> names) {
        List<ComponentSpec> specs = stack.topology().components().stream().filter(c -> names.contains(c.name())).toList();
        List<List<ComponentSpec>> waves = new ArrayList<>(Topology.waves(specs));
        Collections.reverse(waves);
        for (List<ComponentSpec> wave : waves) {
            List<Thread> threads = new ArrayList<>();
            for (ComponentSpec spec : wave) {
                Thread t = new Thread(() -> {
                    ManagedComponent c = stack.launcher(spec.name());
                    OptionalLong pid = c.pid();
                    try {
                        c.stop();
                        stack.progress(spec.name() + " stopped" + pid.stream().mapToObj(p -> " (pid " + p + ")").findFirst().orElse(""));
                    } catch (RuntimeException e) {
                        stack.progress(spec.name() + " stop failed: " + e.getMessage());
                    }
                    Stack.deleteQuietly(ComponentPaths.in(stack.runDir(), spec.name()).pidFile());
                }, "devstack-stop-" + spec.name());
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Stops every component with a live PID in this run directory. A PID whose process start time no longer
     * matches stack.json belongs to someone else now and is left alone.
     */
    void down() {
        Map<String, StackState.Entry> recorded = stack.state().map(StackState::components).orElse(Map.of());
        List<String> toStop = new ArrayList<>();
        for (ComponentSpec spec : stack.topology().components()) {
            OptionalLong pid = stack.launcher(spec.name()).pid();
            if (pid.isEmpty()) {
                continue;
            }
            StackState.Entry entry = recorded.get(spec.name());
            boolean same = entry != null && entry.pid() == pid.getAsLong();
            if (ProcessControl.isSameProcess(pid.getAsLong(), same ? entry.processStartTicks() : 0,
                    same ? entry.processStartMs() : 0)) {
                toStop.add(spec.name());
            } else {
                Stack.deleteQuietly(ComponentPaths.in(stack.runDir(), spec.name()).pidFile());
            }
        }
        if (toStop.isEmpty()) {
            stack.progress("nothing running in " + stack.runDir());
        } else {
            stopInWaves(toStop);
        }
        Stack.deleteQuietly(stack.stateFile());
    }
}

package io.txlab.loadtests.compare;

import io.txlab.devstack.process.ProcessControl;
import io.txlab.devstack.stack.StackState;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The stack's components that its {@code stack.json} records but whose process is gone: a service that ran out of heap
 * exits (ADR 51), and a load step past the knee is where that happens. The comparison restarts them after a failed
 * step, so one step's crash is one failed step and not every step after it.
 */
final class StoppedComponents {

    /** Whether the process recorded with this pid and start time is still that process. */
    interface Liveness {
        boolean isSameProcess(long pid, long startedAtEpochMs);
    }

    private StoppedComponents() {
    }

    /** The stopped components of the stack whose run directory this is, in stack.json's order. */
    static List<String> in(Path runDir) {
        return of(StackState.read(runDir.resolve("stack.json")).map(StackState::components).orElse(Map.of()),
                ProcessControl::isSameProcess);
    }

    static List<String> of(Map<String, StackState.Entry> recorded, Liveness liveness) {
        return recorded.entrySet().stream()
                .filter(e -> !liveness.isSameProcess(e.getValue().pid(), e.getValue().processStartMs()))
                .map(Map.Entry::getKey)
                .toList();
    }
}

package io.txlab.devstack.stack;

import io.txlab.devstack.ComponentSpec;
import io.txlab.devstack.ManagedComponent;
import io.txlab.devstack.process.ProcessControl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code status}: is each recorded component alive, healthy, and how much memory it holds. */
final class StackStatus {

    private StackStatus() {
    }

    /** Probes every recorded component in parallel (the Kafka and Temporal probes each take about a second). */
    static List<Stack.StatusRow> probe(Stack stack) {
        StackState s = stack.state().orElseThrow(() -> new Stack.StackException("stack is not running (no " + stack.stateFile() + ")"));
        List<ComponentSpec> recorded = stack.topology().components().stream()
                .filter(spec -> s.components().containsKey(spec.name())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, recorded.size()));
        try {
            List<Future<Stack.StatusRow>> futures = new ArrayList<>();
            for (ComponentSpec spec : recorded) {
                futures.add(pool.submit(() -> {
                    ManagedComponent c = stack.launcher(spec.name());
                    long pid = c.pid().orElse(s.components().get(spec.name()).pid());
                    boolean alive = ProcessControl.isAlive(pid);
                    boolean healthy = alive && c.isReady();
                    long rss = alive ? ProcessControl.rssKb(pid).orElse(-1) : -1;
                    return new Stack.StatusRow(spec.name(), pid, spec.port(), alive, healthy, rss);
                }));
            }
            List<Stack.StatusRow> rows = new ArrayList<>();
            for (Future<Stack.StatusRow> f : futures) {
                rows.add(f.get());
            }
            return rows;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stack.StackException("interrupted");
        } catch (ExecutionException e) {
            throw new Stack.StackException("status probe failed: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}

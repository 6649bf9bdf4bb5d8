package io.txlab.devstack.stack;

import io.txlab.devstack.ComponentKind;
import io.txlab.devstack.ComponentSpec;
import io.txlab.devstack.ManagedComponent;
import io.txlab.devstack.Topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starting a selection of components in waves ({@link Topology#waves}), each wave in parallel. On failure, or when
 * the JVM is interrupted (Ctrl-C), everything this start launched is stopped again, so a failed {@code up} leaves
 * nothing behind.
 */
final class StackStart {

    private final Stack stack;

    StackStart(Stack stack) {
        this.stack = stack;
    }

    void start(List<ComponentSpec> selection) {
        List<String> missingJars = selection.stream()
                .filter(c -> c.kind() == ComponentKind.SERVICE)
                .map(c -> Topology.serviceJar(stack.repo(), c.name()))
                .filter(jar -> !Files.isRegularFile(jar))
                .map(Path::toString)
                .toList();
        if (!missingJars.isEmpty()) {
            throw new Stack.StackException("service jars missing — run ./mvnw -DskipTests package first (./txlab does "
                    + "that), or use --skip-services:\n  " + String.join("\n  ", missingJars));
        }
        Set<String> started = Collections.synchronizedSet(new LinkedHashSet<>());
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "devstack-start");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean aborting = new AtomicBoolean();
        Thread cleanup = new Thread(() -> {
            aborting.set(true);
            // interrupt the starts in flight (readiness waits and storage formatting give up on interrupt) and
            // wait for them, so that nothing is launched after the snapshot below
            pool.shutdownNow();
            try {
                pool.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            new StackStop(stack).stopAll(new ArrayList<>(started), "interrupted: stopping");
            Stack.deleteQuietly(stack.stateFile());
        }, "devstack-abort");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean ok = false;
        StackState.empty(stack.topology().portOffset()).withServiceEnvironment(stack.serviceEnvironment()).write(stack.stateFile());
        try {
            for (List<ComponentSpec> wave : Topology.waves(selection)) {
                List<Future<?>> futures = new ArrayList<>();
                List<String> errors = Collections.synchronizedList(new ArrayList<>());
                for (ComponentSpec spec : wave) {
                    futures.add(pool.submit(() -> {
                        ManagedComponent component = stack.launcher(spec.name());
                        started.add(spec.name());
                        try {
                            component.start();
                        } catch (RuntimeException e) {
                            if (!aborting.get()) {
                                errors.add(e.getMessage());
                                stack.progress(spec.name() + " FAILED");
                            }
                            return;
                        }
                        long pid = component.pid().orElse(-1);
                        stack.record(spec.name(), pid, spec.port());
                        stack.progress(String.format(Locale.ROOT, "%s ready (pid %d, port %d)", spec.name(), pid, spec.port()));
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                if (aborting.get()) {
                    throw new Stack.StackException("interrupted");
                }
                if (!errors.isEmpty()) {
                    throw new Stack.StackException(String.join("\n", errors));
                }
            }
            ok = true;
            stack.progress("stack up: " + selection.size() + " components; run dir " + stack.runDir());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stack.StackException("interrupted");
        } catch (ExecutionException e) {
            throw new Stack.StackException(e.getCause().toString());
        } finally {
            pool.shutdownNow();
            if (!ok && !aborting.get()) {
                new StackStop(stack).stopAll(new ArrayList<>(started), "up failed: stopping what was started");
                Stack.deleteQuietly(stack.stateFile());
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already and does the cleanup
            }
        }
    }
}

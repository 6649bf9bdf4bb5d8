package io.txlab.devstack.stack;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.txlab.devstack.process.ProcessControl;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code stack.json} file: which components the devstack started, their PIDs, ports and start times, and the
 * environment {@code up} added to every service (so that a later {@code restart} starts a service the same way).
 * {@code processStartTicks} (when the kernel started the PID, in clock ticks since boot) guards against signalling
 * a reused PID; {@code processStartMs} (its start instant) does where there is no /proc, or in a file written before
 * the ticks were recorded (0 when absent).
 */
public record StackState(int portOffset, Map<String, Entry> components, Map<String, String> serviceEnvironment) {

    public record Entry(long pid, int port, String startedAt, long processStartMs, long processStartTicks) {
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // a file written before a field existed reads it as 0 ("not recorded")
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public StackState {
        components = new LinkedHashMap<>(components);
        serviceEnvironment = serviceEnvironment == null ? Map.of() : new LinkedHashMap<>(serviceEnvironment);
    }

    public static StackState empty(int portOffset) {
        return new StackState(portOffset, Map.of(), Map.of());
    }

    public StackState withServiceEnvironment(Map<String, String> environment) {
        return new StackState(portOffset, components, environment);
    }

    /** Recorded components whose process is still the one started (same PID and start time), in record order. */
    public List<String> running() {
        return components.entrySet().stream().filter(e -> isRunning(e.getValue())).map(Map.Entry::getKey).toList();
    }

    /** Recorded components whose process is gone (or its PID now names another process), in record order. */
    public List<String> stopped() {
        return components.entrySet().stream().filter(e -> !isRunning(e.getValue())).map(Map.Entry::getKey).toList();
    }

    private static boolean isRunning(Entry entry) {
        return ProcessControl.isSameProcess(entry.pid(), entry.processStartTicks(), entry.processStartMs());
    }

    public static Optional<StackState> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file, StackState.class));
        } catch (RuntimeException e) {
            throw new IllegalStateException("unreadable " + file + " (" + e.getMessage() + "); delete it after "
                    + "checking that no devstack process runs", e);
        }
    }

    public StackState with(String component, long pid, int port, long processStartMs, long processStartTicks) {
        Map<String, Entry> copy = new LinkedHashMap<>(components);
        copy.put(component, new Entry(pid, port, Instant.now().toString(), processStartMs, processStartTicks));
        return new StackState(portOffset, copy, serviceEnvironment);
    }

    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp, this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}

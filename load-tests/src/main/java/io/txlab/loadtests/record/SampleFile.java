package io.txlab.loadtests.record;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-run sample file: one CSV line per order, header first. Written by {@link SampleRecorder} while Gatling
 * runs, read back by the compare command. Gatling 3.13+ keeps its own numbers in a binary log, so this file is
 * the machine-readable record the comparison is computed from.
 */
public final class SampleFile {

    public static final String HEADER = "seq,idempotencyKey,kind,flow,startEpochMs,latencyMicros,postStatus,getStatus,"
            + "orderId,outcome,status,reason,createdAt,completedAt,backend,traceId,traced,startNanos,lagMicros";
    private static final int FIELDS = 19;

    private SampleFile() {
    }

    public static String toLine(OrderSample s) {
        return String.join(",", Long.toString(s.seq()), clean(s.idempotencyKey()), clean(s.kind()), clean(s.flow()),
                Long.toString(s.startEpochMs()), Long.toString(s.latencyMicros()), Integer.toString(s.postStatus()),
                Integer.toString(s.getStatus()), clean(s.orderId()), s.outcome().name(), clean(s.status()),
                clean(s.reason()), clean(s.createdAt()), clean(s.completedAt()), clean(s.backend()),
                clean(s.traceId()), Boolean.toString(s.traced()), Long.toString(s.startNanos()), Long.toString(s.lagMicros()));
    }

    public static OrderSample fromLine(String line) {
        String[] f = line.split(",", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " fields, got " + f.length + ": " + line);
        }
        return new OrderSample(Long.parseLong(f[0]), f[1], f[2], f[3], Long.parseLong(f[4]), Long.parseLong(f[5]),
                Integer.parseInt(f[6]), Integer.parseInt(f[7]), f[8], Outcome.valueOf(f[9]), f[10], f[11], f[12],
                f[13], f[14], f[15], Boolean.parseBoolean(f[16]), Long.parseLong(f[17]), Long.parseLong(f[18]));
    }

    public static List<OrderSample> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<OrderSample> samples = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("seq,")) {
                    samples.add(fromLine(line));
                }
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    public static void write(Path file, List<OrderSample> samples) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(HEADER);
                w.newLine();
                for (OrderSample s : samples) {
                    w.write(toLine(s));
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static String clean(String value) {
        return value == null ? "" : value.replace(',', ';').replace('\n', ' ').replace('\r', ' ');
    }
}

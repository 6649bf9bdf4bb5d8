package io.txlab.loadtests.record;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends one CSV line per finished order to the run's sample file. Called from Gatling's virtual users (an
 * {@code exec(session -> ...)} at the end of the scenario), so it is thread-safe; lines are buffered and flushed
 * on {@link #close()}, which the simulation calls from {@code after()}.
 */
public final class SampleRecorder implements AutoCloseable {

    private final Path file;
    private final BufferedWriter writer;
    private final AtomicLong count = new AtomicLong();

    public SampleRecorder(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            writer.write(SampleFile.HEADER);
            writer.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("could not open " + file, e);
        }
    }

    public void record(OrderSample sample) {
        String line = SampleFile.toLine(sample);
        synchronized (writer) {
            try {
                writer.write(line);
                writer.newLine();
            } catch (IOException e) {
                throw new UncheckedIOException("could not write " + file, e);
            }
        }
        count.incrementAndGet();
    }

    public long count() {
        return count.get();
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        synchronized (writer) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not close " + file, e);
            }
        }
    }
}

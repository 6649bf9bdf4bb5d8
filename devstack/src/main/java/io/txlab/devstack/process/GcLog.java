package io.txlab.devstack.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Stop-the-world pause time from a unified GC log ({@code -Xlog:gc}, see {@link JvmOptions}): the sum of the
 * durations of every {@code Pause ...} line, e.g. {@code [12.3s] GC(7) Pause Young (Allocation Failure) 40M->9M(62M) 2.345ms}.
 * Concurrent phases are not pauses and are not counted.
 */
public final class GcLog {

    private static final Pattern PAUSE = Pattern.compile("\\bPause\\b.*\\s(\\d+(?:\\.\\d+)?)ms\\s*$");

    private GcLog() {
    }

    /** Total pause milliseconds logged so far; 0 when there is no log (yet). */
    public static double pauseMillis(Path log) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.mapToDouble(GcLog::pauseMillisOf).sum();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    static double pauseMillisOf(String line) {
        Matcher m = PAUSE.matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}

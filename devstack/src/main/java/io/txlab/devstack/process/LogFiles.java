package io.txlab.devstack.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the end of component log files, for error messages and {@code ./txlab logs}. */
public final class LogFiles {

    /** A log line at ERROR or FATAL level (logback's {@code ERROR }, PostgreSQL's {@code FATAL:}) or a cause. */
    private static final java.util.regex.Pattern ERROR_LINE =
            java.util.regex.Pattern.compile("\\b(ERROR|FATAL|PANIC)[: ]|^Caused by");

    private LogFiles() {
    }

    /** The last lines of the file, reading backwards from the end so multi-megabyte logs stay cheap. */
    public static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long pos = length;
            int newlines = 0;
            int chunk = 8192;
            while (pos > 0 && newlines <= lines) {
                long start = Math.max(0, pos - chunk);
                byte[] buf = new byte[(int) (pos - start)];
                raf.seek(start);
                raf.readFully(buf);
                for (int i = buf.length - 1; i >= 0; i--) {
                    if (buf[i] == '\n' && !(start + i == length - 1)) {
                        newlines++;
                        if (newlines == lines) {
                            pos = start + i + 1;
                            return read(raf, pos, length);
                        }
                    }
                }
                pos = start;
            }
            return read(raf, 0, length);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    /**
     * The first {@code max} lines that report an error (an {@code ERROR} or {@code FATAL} level, or {@code Caused by}), for
     * start failures: a process that fails to start often logs its cause early and then pages of shutdown lines, so
     * the tail alone misses it. Empty when there is none or no log.
     */
    public static String firstErrors(Path file, int max) {
        if (!Files.exists(file)) {
            return "";
        }
        try (java.util.stream.Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> ERROR_LINE.matcher(l).find())
                    .limit(max).collect(java.util.stream.Collectors.joining("\n"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    /** {@link #tail} preceded by the {@link #firstErrors} when there are any: what a start-failure message shows. */
    public static String startFailure(Path file, int lines) {
        String errors = firstErrors(file, 5);
        return (errors.isEmpty() ? "" : "first errors:\n" + errors + "\n")
                + "last log lines (" + file + "):\n" + tail(file, lines);
    }

    private static String read(RandomAccessFile raf, long from, long to) throws IOException {
        byte[] buf = new byte[(int) (to - from)];
        raf.seek(from);
        raf.readFully(buf);
        String text = new String(buf, StandardCharsets.UTF_8);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}

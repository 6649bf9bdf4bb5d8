package io.txlab.devstack.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the end of component log files, for error messages and {@code ./txlab logs}. */
public final class LogFiles {

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

    private static String read(RandomAccessFile raf, long from, long to) throws IOException {
        byte[] buf = new byte[(int) (to - from)];
        raf.seek(from);
        raf.readFully(buf);
        String text = new String(buf, StandardCharsets.UTF_8);
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}

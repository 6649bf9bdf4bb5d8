package io.txlab.loadtests.report;

import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code results.json} (every number), and from one {@link Document} built by {@link ReportModel} a
 * self-contained {@code index.html} and {@code summary.md}; {@link #consoleTable} is the terminal's summary.
 */
public final class ReportWriter {

    public static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // NaN (a percentile of zero finished orders) is not a JSON number; write it as the string "NaN"
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private ReportWriter() {
    }

    public static void write(Results.Comparison c, Path dir) {
        Document d = ReportModel.of(c);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.json"), JSON.writeValueAsString(c), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("summary.md"), MarkdownRenderer.render(d), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("index.html"), HtmlRenderer.render(d), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report to " + dir, e);
        }
    }

    public static String markdown(Results.Comparison c) {
        return MarkdownRenderer.render(ReportModel.of(c));
    }

    public static String consoleTable(Results.Comparison c) {
        return ConsoleRenderer.render(ReportModel.of(c));
    }

    public static String machine(Results.Machine m) {
        return Fmt.machine(m);
    }
}

package io.txlab.loadtests.report;

import java.util.List;

/**
 * The report as one model, rendered three ways (HTML, Markdown, the terminal summary) by {@link HtmlRenderer},
 * {@link MarkdownRenderer} and {@link ConsoleRenderer}: every sentence and every table is written once, in
 * {@link ReportModel}, and a renderer only decides how a block looks.
 */
public record Document(String title, List<Section> sections) {

    /** @param console whether the terminal summary shows this section's tables */
    public record Section(String id, String title, boolean console, List<Block> blocks) {
    }

    /** A piece of a section. */
    public sealed interface Block permits Text, Table, Chart, Bullets, Preformatted {
    }

    /** A paragraph of plain text. */
    public record Text(String text) implements Block {
    }

    /** A chart as inline SVG; text outputs show its {@code caption} instead. */
    public record Chart(String caption, String svg) implements Block {
    }

    public record Bullets(List<Cell> items) implements Block {
    }

    public record Preformatted(String text) implements Block {
    }

    public record Table(List<String> header, List<List<Cell>> rows) implements Block {
    }

    /** How a cell reads at a glance: HTML colours it, text outputs rely on its own ✓/✗/⚠ marks. */
    public enum Tone { PLAIN, GOOD, BAD, WARN, MUTED }

    /** A table cell or list item: text, an optional link (relative to the report folder) and a tone. */
    public record Cell(String text, String href, Tone tone) {

        public static Cell of(String text) {
            return new Cell(text == null || text.isBlank() ? "–" : text, null, Tone.PLAIN);
        }

        public static Cell of(String text, Tone tone) {
            return new Cell(text == null || text.isBlank() ? "–" : text, null, tone);
        }

        public static Cell link(String text, String href) {
            return new Cell(text, href, Tone.PLAIN);
        }
    }
}

package io.txlab.loadtests.report;

import io.txlab.loadtests.report.Document.Block;
import io.txlab.loadtests.report.Document.Cell;

/** {@code summary.md}: the same document as text; charts become a line pointing at {@code index.html}. */
final class MarkdownRenderer {

    private MarkdownRenderer() {
    }

    static String render(Document d) {
        StringBuilder md = new StringBuilder("# ").append(d.title()).append("\n");
        for (Document.Section s : d.sections()) {
            md.append("\n## ").append(s.title()).append("\n");
            for (Block b : s.blocks()) {
                md.append('\n');
                block(md, b);
            }
        }
        return md.toString();
    }

    private static void block(StringBuilder md, Block b) {
        if (b instanceof Document.Text t) {
            md.append(t.text()).append('\n');
        } else if (b instanceof Document.Chart c) {
            md.append("_Chart: ").append(c.caption()).append("._\n");
        } else if (b instanceof Document.Preformatted p) {
            md.append("```\n").append(p.text()).append(p.text().endsWith("\n") ? "" : "\n").append("```\n");
        } else if (b instanceof Document.Bullets l) {
            l.items().forEach(i -> md.append("- ").append(cell(i)).append('\n'));
        } else if (b instanceof Document.Table t) {
            md.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
            t.header().forEach(x -> md.append("---|"));
            md.append('\n');
            for (var row : t.rows()) {
                md.append("| ").append(String.join(" | ", row.stream().map(MarkdownRenderer::cell).toList())).append(" |\n");
            }
        }
    }

    private static String cell(Cell c) {
        String text = c.text().replace("|", "/").replace("\n", " ");
        return c.href() == null || c.href().isBlank() ? text : "[" + text + "](" + c.href() + ")";
    }
}

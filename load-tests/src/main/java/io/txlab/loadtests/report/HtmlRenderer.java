package io.txlab.loadtests.report;

import io.txlab.loadtests.report.Document.Block;
import io.txlab.loadtests.report.Document.Cell;

import java.util.List;

/** {@code index.html}: one self-contained page (inline CSS and SVG, nothing fetched, no script). */
final class HtmlRenderer {

    private static final String CSS = "body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}"
            + "table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
            + "vertical-align:top}th{background:#f3f3f3}.GOOD{color:#070}.BAD{color:#b00}.WARN{color:#b60;font-weight:600}"
            + ".MUTED{color:#888}code,pre{background:#f6f6f6}pre{padding:8px;font-size:12px;overflow-x:auto}"
            + "svg{display:block;margin:1em 0;max-width:100%;height:auto}nav a{margin-right:1em}";

    private HtmlRenderer() {
    }

    static String render(Document d) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>")
                .append(esc(d.title())).append("</title><style>").append(CSS).append("</style></head><body><h1>")
                .append(esc(d.title())).append("</h1><nav>");
        for (Document.Section s : d.sections()) {
            h.append("<a href='#").append(esc(s.id())).append("'>").append(esc(s.title())).append("</a>");
        }
        h.append("</nav>");
        for (Document.Section s : d.sections()) {
            h.append("<h2 id='").append(esc(s.id())).append("'>").append(esc(s.title())).append("</h2>");
            s.blocks().forEach(b -> block(h, b));
        }
        return h.append("</body></html>").toString();
    }

    private static void block(StringBuilder h, Block b) {
        if (b instanceof Document.Text t) {
            h.append("<p>").append(esc(t.text())).append("</p>");
        } else if (b instanceof Document.Chart c) {
            h.append(c.svg());
        } else if (b instanceof Document.Preformatted p) {
            h.append("<pre>").append(esc(p.text())).append("</pre>");
        } else if (b instanceof Document.Bullets l) {
            h.append("<ul>");
            l.items().forEach(i -> h.append("<li>").append(cell(i)).append("</li>"));
            h.append("</ul>");
        } else if (b instanceof Document.Table t) {
            table(h, t.header(), t.rows());
        }
    }

    private static void table(StringBuilder h, List<String> header, List<List<Cell>> rows) {
        h.append("<table><tr>");
        header.forEach(x -> h.append("<th>").append(esc(x)).append("</th>"));
        h.append("</tr>");
        for (List<Cell> row : rows) {
            h.append("<tr>");
            for (Cell c : row) {
                h.append("<td").append(c.tone() == Document.Tone.PLAIN ? "" : " class='" + c.tone() + "'").append(">")
                        .append(cell(c)).append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private static String cell(Cell c) {
        String text = esc(c.text());
        String body = c.tone() == Document.Tone.PLAIN ? text : "<span class='" + c.tone() + "'>" + text + "</span>";
        return c.href() == null || c.href().isBlank() ? body : "<a href='" + esc(c.href()) + "'>" + body + "</a>";
    }

    static String esc(String s) {
        return Svg.esc(s);
    }
}

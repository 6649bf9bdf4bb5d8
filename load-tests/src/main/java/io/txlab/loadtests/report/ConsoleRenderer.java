package io.txlab.loadtests.report;

import io.txlab.loadtests.report.Document.Cell;

import java.util.List;

/** The summary printed at the end of {@code ./txlab compare}: the tables of the sections marked for the terminal. */
final class ConsoleRenderer {

    private ConsoleRenderer() {
    }

    static String render(Document d) {
        StringBuilder sb = new StringBuilder();
        for (Document.Section s : d.sections()) {
            if (!s.console()) {
                continue;
            }
            for (Document.Block b : s.blocks()) {
                if (b instanceof Document.Table t) {
                    sb.append(s.title()).append(System.lineSeparator());
                    sb.append(table(t.header(), t.rows().stream().map(r -> r.stream().map(Cell::text).toList()).toList()));
                    sb.append(System.lineSeparator());
                }
            }
        }
        return sb.toString();
    }

    private static String table(List<String> header, List<List<String>> rows) {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        row(sb, header, w);
        StringBuilder rule = new StringBuilder();
        for (int x : w) {
            rule.append("-".repeat(x)).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append(System.lineSeparator());
        rows.forEach(r -> row(sb, r, w));
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<String> cells, int[] w) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i)).append(" ".repeat(w[i] - cells.get(i).length() + 2));
        }
        sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
}

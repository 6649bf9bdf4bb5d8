package io.txlab.loadtests.report;

import java.util.List;
import java.util.Locale;

/**
 * Small inline-SVG charts (no scripts, no external files): grouped bars on a log axis, stacked bars on a linear one, and a
 * timeline.
 */
final class Svg {

    static final String[] COLORS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
            "#ff9da7", "#9c755f", "#bab0ac", "#17becf", "#bcbd22", "#8c564b", "#7f7f7f", "#aec7e8"};

    private static final int LEGEND_LINE = 14;

    record Series(String name, double[] values) {
    }

    private Svg() {
    }

    /** Bars per category, one colour per series, log10 y axis (values ≤ 0 or NaN are left out). */
    static String groupedBarsLog(String title, String unit, List<String> categories, List<Series> series) {
        int w = 760;
        int left = 60;
        List<String> names = series.stream().map(Series::name).toList();
        int extraLines = legendLines(names, left, w - 10) - 1;
        int h = 300 + LEGEND_LINE * extraLines;
        int bottom = 40 + LEGEND_LINE * extraLines;
        int top = 30;
        double max = 1;
        double min = Double.MAX_VALUE;
        for (Series s : series) {
            for (double v : s.values()) {
                if (v > 0 && !Double.isNaN(v)) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        double lo = Math.floor(Math.log10(min == Double.MAX_VALUE ? 0.1 : Math.min(min, 1)));
        double hi = Math.ceil(Math.log10(max));
        if (hi <= lo) {
            hi = lo + 1;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(open(w, h, title));
        int plotH = h - bottom - top;
        for (double d = lo; d <= hi; d++) {
            double y = top + plotH - (d - lo) / (hi - lo) * plotH;
            sb.append(f("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>", left, y, w - 10, y));
            sb.append(f("<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s</text>", left - 4, y + 4, axis(Math.pow(10, d))));
        }
        sb.append(f("<text x='12' y='%d' font-size='11' transform='rotate(-90 12 %d)'>%s</text>", top + plotH / 2, top + plotH / 2, esc(unit)));
        int groups = Math.max(1, categories.size());
        double groupW = (w - left - 20.0) / groups;
        double barW = Math.max(2, (groupW - 10) / Math.max(1, series.size()));
        for (int g = 0; g < categories.size(); g++) {
            double gx = left + g * groupW + 5;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[g];
                if (v > 0 && !Double.isNaN(v)) {
                    double frac = (Math.log10(v) - lo) / (hi - lo);
                    double bh = Math.max(1, frac * plotH);
                    sb.append(f("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s %s: %s %s</title></rect>",
                            gx + s * barW, top + plotH - bh, barW - 1, bh, COLORS[s % COLORS.length],
                            esc(categories.get(g)), esc(series.get(s).name()), num(v), esc(unit)));
                }
            }
            sb.append(f("<text x='%.1f' y='%d' font-size='12' text-anchor='middle'>%s</text>", gx + groupW / 2 - 5, h - bottom + 16, esc(categories.get(g))));
        }
        legend(sb, names, left, h - 8 - LEGEND_LINE * extraLines, w - 10);
        return sb.append("</svg>").toString();
    }

    /**
     * One bar per category, stacked from the series (each a component's share), linear y axis; the total is written
     * above each bar. NaN and negative parts are left out.
     */
    static String stackedBars(String title, String unit, List<String> categories, List<Series> series) {
        int w = 760;
        int top = 30;
        int bottom = 40;
        int left = 60;
        int legendRows = (int) Math.ceil(series.size() / 4.0);
        int plotH = 240;
        int h = top + plotH + bottom + legendRows * 16;
        double max = 0;
        for (int g = 0; g < categories.size(); g++) {
            max = Math.max(max, total(series, g));
        }
        double hi = niceCeiling(max);
        StringBuilder sb = new StringBuilder(open(w, h, title));
        for (int i = 0; i <= 4; i++) {
            double v = hi * i / 4;
            double y = top + plotH - v / hi * plotH;
            sb.append(f("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>", left, y, w - 10, y));
            sb.append(f("<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s</text>", left - 4, y + 4, num(v)));
        }
        sb.append(f("<text x='12' y='%d' font-size='11' transform='rotate(-90 12 %d)'>%s</text>", top + plotH / 2, top + plotH / 2, esc(unit)));
        double groupW = (w - left - 20.0) / Math.max(1, categories.size());
        double barW = Math.min(60, groupW * 0.6);
        for (int g = 0; g < categories.size(); g++) {
            double x = left + g * groupW + (groupW - barW) / 2;
            double y = top + plotH;
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values()[g];
                if (Double.isNaN(v) || v <= 0) {
                    continue;
                }
                double bh = v / hi * plotH;
                y -= bh;
                sb.append(f("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>%s %s: %s %s</title></rect>",
                        x, y, barW, bh, COLORS[s % COLORS.length], esc(categories.get(g)), esc(series.get(s).name()), num(v), esc(unit)));
            }
            sb.append(f("<text x='%.1f' y='%.1f' font-size='11' text-anchor='middle'>%s</text>", x + barW / 2, y - 4, num(total(series, g))));
            sb.append(f("<text x='%.1f' y='%d' font-size='12' text-anchor='middle'>%s</text>", x + barW / 2, top + plotH + 16, esc(categories.get(g))));
        }
        for (int s = 0; s < series.size(); s++) {
            int cx = left + (s % 4) * 170;
            int cy = top + plotH + bottom + (s / 4) * 16;
            sb.append(f("<rect x='%d' y='%d' width='10' height='10' fill='%s'/>", cx, cy - 9, COLORS[s % COLORS.length]));
            sb.append(f("<text x='%d' y='%d' font-size='11'>%s</text>", cx + 14, cy, esc(series.get(s).name())));
        }
        return sb.append("</svg>").toString();
    }

    private static double total(List<Series> series, int g) {
        double sum = 0;
        for (Series s : series) {
            double v = s.values()[g];
            if (!Double.isNaN(v) && v > 0) {
                sum += v;
            }
        }
        return sum;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /**
     * A chaos timeline: bars = orders that failed or did not finish per second, line = p99 per second (log axis on
     * the right scale is avoided: p99 is clipped at {@code clipMs} and labelled), red line = the fault ({@code faultLabel}:
     * kill, partition, disk full), green = its end ({@code endLabel}: healthy again, healed, freed).
     */
    static String timeline(String title, List<Results.TimelinePoint> points, Double killAt, Double healthyAt, double sloMs,
                           String faultLabel, String endLabel) {
        int w = 760;
        int h = 260;
        int left = 60;
        int right = 50;
        int top = 30;
        int bottom = 40;
        int plotW = w - left - right;
        int plotH = h - top - bottom;
        int n = Math.max(1, points.size());
        double maxP99 = sloMs * 2;
        long maxBad = 1;
        for (Results.TimelinePoint p : points) {
            if (p.p99Ms() != null) {
                maxP99 = Math.max(maxP99, p.p99Ms());
            }
            maxBad = Math.max(maxBad, Math.max(p.bad(), p.started()));
        }
        double lo = 0;
        double hi = Math.ceil(Math.log10(maxP99));
        StringBuilder sb = new StringBuilder(open(w, h, title));
        for (double d = lo; d <= hi; d++) {
            double y = top + plotH - (d - lo) / (hi - lo) * plotH;
            sb.append(f("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#eee'/>", left, y, left + plotW, y));
            sb.append(f("<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%s ms</text>", left - 4, y + 4, axis(Math.pow(10, d))));
        }
        double bw = (double) plotW / n;
        for (int i = 0; i < points.size(); i++) {
            Results.TimelinePoint p = points.get(i);
            double sh = (double) p.started() / maxBad * plotH;
            sb.append(f("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#dde6f0'><title>t=%ds started %d</title></rect>",
                    left + i * bw, top + plotH - sh, bw - 1, sh, (int) p.t(), p.started()));
            if (p.bad() > 0) {
                double bh = (double) p.bad() / maxBad * plotH;
                sb.append(f("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='#e15759' opacity='0.7'><title>t=%ds failed/unfinished %d</title></rect>",
                        left + i * bw, top + plotH - bh, bw - 1, bh, (int) p.t(), p.bad()));
            }
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            Double v = points.get(i).p99Ms();
            if (v == null || v <= 0) {
                continue;
            }
            double y = top + plotH - (Math.log10(Math.max(1, v)) - lo) / (hi - lo) * plotH;
            double x = left + i * bw + bw / 2;
            path.append(path.isEmpty() ? "M" : "L").append(f("%.1f %.1f ", x, y));
            sb.append(f("<circle cx='%.1f' cy='%.1f' r='2.5' fill='#4e79a7'><title>t=%ds p99 %s ms</title></circle>", x, y, (int) points.get(i).t(), num(v)));
        }
        sb.append(f("<path d='%s' fill='none' stroke='#4e79a7' stroke-width='2'/>", path.toString().trim()));
        double sloY = top + plotH - (Math.log10(sloMs) - lo) / (hi - lo) * plotH;
        sb.append(f("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#999' stroke-dasharray='4 3'/><text x='%d' y='%.1f' font-size='10'>SLO</text>",
                left, sloY, left + plotW, sloY, left + plotW + 3, sloY + 3));
        marker(sb, killAt, faultLabel, "#d62728", left, top, plotH, bw);
        marker(sb, healthyAt, endLabel, "#2ca02c", left, top, plotH, bw);
        sb.append(f("<text x='%d' y='%d' font-size='11'>seconds since the first order (bars: orders started per second, red: failed or unfinished)</text>", left, h - 10));
        return sb.append("</svg>").toString();
    }

    private static void marker(StringBuilder sb, Double at, String label, String color, int left, int top, int plotH, double bw) {
        if (at == null) {
            return;
        }
        double x = left + at * bw;
        sb.append(f("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='%s' stroke-width='2'/>", x, top, x, top + plotH, color));
        sb.append(f("<text x='%.1f' y='%d' font-size='11' fill='%s'>%s %.1fs</text>", x + 3, top + 10, color, label, at));
    }

    private static void legend(StringBuilder sb, List<String> names, int x, int y) {
        legend(sb, names, x, y, Integer.MAX_VALUE);
    }

    /** The legend from (x, y), wrapped onto a further line (14 px down) before an entry would pass {@code right}. */
    private static void legend(StringBuilder sb, List<String> names, int x, int y, int right) {
        int cx = x;
        int cy = y;
        for (int i = 0; i < names.size(); i++) {
            int width = legendWidth(names.get(i));
            if (cx > x && cx + width > right) {
                cx = x;
                cy += LEGEND_LINE;
            }
            sb.append(f("<rect x='%d' y='%d' width='10' height='10' fill='%s'/>", cx, cy - 9, COLORS[i % COLORS.length]));
            sb.append(f("<text x='%d' y='%d' font-size='11'>%s</text>", cx + 14, cy, esc(names.get(i))));
            cx += width;
        }
    }

    /** How many lines {@link #legend(StringBuilder, List, int, int, int)} takes for these names. */
    private static int legendLines(List<String> names, int x, int right) {
        int lines = 1;
        int cx = x;
        for (String name : names) {
            int width = legendWidth(name);
            if (cx > x && cx + width > right) {
                cx = x;
                lines++;
            }
            cx += width;
        }
        return lines;
    }

    private static int legendWidth(String name) {
        return 20 + name.length() * 7;
    }

    private static String open(int w, int h, String title) {
        return f("<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' role='img'><title>%s</title>"
                + "<text x='%d' y='18' font-size='14' font-weight='bold'>%s</text>", w, h, w, h, esc(title), 10, esc(title));
    }

    static String num(double v) {
        return Fmt.num(v);
    }

    private static String axis(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace("\"", "&quot;");
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}

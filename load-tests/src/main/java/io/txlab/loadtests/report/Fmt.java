package io.txlab.loadtests.report;

import java.util.Locale;

/** How numbers read in every output: the same rounding in HTML, Markdown and the terminal. */
public final class Fmt {

    private Fmt() {
    }

    /** Three significant figures at most, no trailing noise; "–" for not measured. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    public static String num(Double v) {
        return v == null ? "–" : num(v.doubleValue());
    }

    public static String mark(boolean ok) {
        return ok ? "✓" : "✗";
    }

    /** A fraction as a whole percentage ("12%"). */
    public static String pct(double fraction) {
        return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    public static String ratio(Double v) {
        return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.1f", v);
    }

    public static String machine(Results.Machine m) {
        return String.format(Locale.ROOT, "%d cores, %.1f GiB, %s, %s, JDK %s", m.cores(), m.memoryGiB(), m.cpuModel(), m.os(), m.jdk());
    }
}

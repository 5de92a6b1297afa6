package org.kfac4j.compare;

import java.util.List;
import java.util.Locale;

/** The comparison as the paper reports it, as a Markdown table. */
public final class ComparisonTable {
    private ComparisonTable() {
    }

    /** The table of {@code comparison} at {@code target}, each ratio relative to its first row. */
    public static String markdown(Comparison comparison, double target) {
        List<Comparison.Row> rows = comparison.rows(target);
        Comparison.Row ref = rows.get(0);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Validation-accuracy target %.4f (%s); medians over seeds.%n%n", target,
                "ratios relative to " + ref.optimizer()));
        sb.append("| optimizer | seeds reaching target | final val. acc. | steps to target | × ").append(ref.optimizer())
                .append(" | training s to target | × ").append(ref.optimizer()).append(" | ms / step |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Comparison.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d / %d | %.4f | %s | %s | %s | %s | %.1f |%n",
                    r.optimizer(), r.reached(), r.seeds(), r.finalAccuracy(), number(r.stepsToTarget(), "%.0f"),
                    ratio(r.stepsToTarget(), ref.stepsToTarget()), number(r.secondsToTarget(), "%.1f"),
                    ratio(r.secondsToTarget(), ref.secondsToTarget()), r.millisPerStep()));
        }
        return sb.toString();
    }

    private static String number(double v, String format) {
        return Double.isInfinite(v) ? "not reached" : String.format(Locale.ROOT, format, v);
    }

    private static String ratio(double v, double ref) {
        return Double.isInfinite(v) || Double.isInfinite(ref) ? "—" : String.format(Locale.ROOT, "%.2f×", v / ref);
    }
}

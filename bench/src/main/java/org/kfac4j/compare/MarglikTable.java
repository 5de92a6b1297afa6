package org.kfac4j.compare;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kfac4j.train.EvalPoint;

/**
 * The table of {@code compare --marglik}: per run kind (each fixed weight decay of the grid, and the marginal
 * likelihood's selection) the median final validation accuracy and the median training time over seeds, then the
 * selection against the grid: its accuracy minus the grid's best, and its time over the grid's total.
 */
public final class MarglikTable {
    private MarglikTable() {
    }

    /** {@code finals}: per run kind, the last evaluation of each seed; the kind "marglik" is the selection. */
    public static String markdown(Map<String, List<EvalPoint>> finals) {
        StringBuilder sb = new StringBuilder("| run | final val. acc. (median) | weight decay at the end | "
                + "training s (median) |\n|---|---|---|---|\n");
        double bestGrid = Double.NEGATIVE_INFINITY;
        double gridSeconds = 0;
        for (var e : finals.entrySet()) {
            double accuracy = Comparison.median(e.getValue().stream().mapToDouble(EvalPoint::valAccuracy).toArray());
            double seconds = Comparison.median(e.getValue().stream().mapToDouble(EvalPoint::trainSeconds).toArray());
            double decay = Comparison.median(e.getValue().stream().mapToDouble(EvalPoint::weightDecay).toArray());
            sb.append(String.format(Locale.ROOT, "| %s | %.4f | %.3g | %.1f |%n", e.getKey(), accuracy, decay, seconds));
            if (!e.getKey().equals("marglik")) {
                bestGrid = Math.max(bestGrid, accuracy);
                gridSeconds += seconds;
            }
        }
        List<EvalPoint> selected = finals.get("marglik");
        if (selected != null && gridSeconds > 0) {
            double accuracy = Comparison.median(selected.stream().mapToDouble(EvalPoint::valAccuracy).toArray());
            double seconds = Comparison.median(selected.stream().mapToDouble(EvalPoint::trainSeconds).toArray());
            sb.append(String.format(Locale.ROOT, "%nmarginal likelihood vs the grid: %+.2f points of accuracy against "
                    + "the grid's best (%.4f), in %.2f× the grid's total training time (%.1f s)%n",
                    100 * (accuracy - bestGrid), bestGrid, seconds / gridSeconds, gridSeconds));
        }
        return sb.toString();
    }
}

package org.kfac4j.compare;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kfac4j.train.EvalPoint;

/**
 * The weight-averaging table of {@code compare --swa-start}: per run kind, the median over seeds of the final
 * validation accuracy of the last weights and of the averaged weights (BatchNorm statistics recomputed), and the
 * difference in points.
 */
public final class SwaTable {
    private SwaTable() {
    }

    /** {@code last}: per run kind, the last evaluation of each seed; {@code averaged}: the average's evaluations. */
    public static String markdown(Map<String, List<EvalPoint>> last, Map<String, List<EvalPoint>> averaged) {
        StringBuilder sb = new StringBuilder("| run | last weights: val. acc. (median) | weight average: val. acc. "
                + "(median) | difference (points) |\n|---|---|---|---|\n");
        for (var e : averaged.entrySet()) {
            double swa = median(e.getValue());
            double plain = median(last.getOrDefault(e.getKey(), List.of()));
            sb.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %+.2f |%n", e.getKey(), plain, swa,
                    100 * (swa - plain)));
        }
        return sb.toString();
    }

    private static double median(List<EvalPoint> points) {
        return points.isEmpty() ? Double.NaN
                : Comparison.median(points.stream().mapToDouble(EvalPoint::valAccuracy).toArray());
    }
}

package org.kfac4j.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kfac4j.train.EvalPoint;
import org.kfac4j.train.OptimizerChoice;

/**
 * The runs of a comparison — per optimiser, one validation curve per seed — and what the paper reports of them:
 * steps and training time to a validation-accuracy target, relative to the first optimiser (the reference).
 */
public final class Comparison {
    private final Map<OptimizerChoice, List<List<EvalPoint>>> curves = new LinkedHashMap<>();

    /** Adds one seed's curve of {@code optimizer} (the first optimiser added is the reference). */
    public void add(OptimizerChoice optimizer, List<EvalPoint> curve) {
        if (curve.isEmpty()) {
            throw new IllegalArgumentException(optimizer + ": an empty run");
        }
        curves.computeIfAbsent(optimizer, k -> new ArrayList<>()).add(List.copyOf(curve));
    }

    public Map<OptimizerChoice, List<List<EvalPoint>>> curves() {
        return curves;
    }

    public OptimizerChoice reference() {
        return curves.keySet().iterator().next();
    }

    /**
     * The default target: the median over the reference's seeds of its final validation accuracy — what the tuned
     * reference reaches at the end of its budget.
     */
    public double defaultTarget() {
        return median(curves.get(reference()).stream().mapToDouble(c -> c.get(c.size() - 1).valAccuracy()).toArray());
    }

    /** The first evaluation of {@code curve} at or above {@code target}, or null. */
    static EvalPoint firstReaching(List<EvalPoint> curve, double target) {
        for (EvalPoint p : curve) {
            if (p.valAccuracy() >= target) {
                return p;
            }
        }
        return null;
    }

    /**
     * One optimiser's row: medians over seeds (a seed that never reaches the target counts as infinitely late, so
     * the median is infinite unless most seeds reach it).
     */
    public record Row(OptimizerChoice optimizer, int seeds, int reached, double finalAccuracy, double stepsToTarget,
                      double secondsToTarget, double millisPerStep) {
    }

    public List<Row> rows(double target) {
        List<Row> rows = new ArrayList<>();
        curves.forEach((opt, runs) -> {
            double[] steps = new double[runs.size()];
            double[] seconds = new double[runs.size()];
            double[] accuracy = new double[runs.size()];
            double[] perStep = new double[runs.size()];
            int reached = 0;
            for (int s = 0; s < runs.size(); s++) {
                List<EvalPoint> c = runs.get(s);
                EvalPoint hit = firstReaching(c, target);
                reached += hit != null ? 1 : 0;
                steps[s] = hit != null ? hit.step() : Double.POSITIVE_INFINITY;
                seconds[s] = hit != null ? hit.trainSeconds() : Double.POSITIVE_INFINITY;
                EvalPoint last = c.get(c.size() - 1);
                accuracy[s] = last.valAccuracy();
                perStep[s] = 1e3 * last.trainSeconds() / last.step();
            }
            rows.add(new Row(opt, runs.size(), reached, median(accuracy), median(steps), median(seconds),
                    median(perStep)));
        });
        return rows;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}

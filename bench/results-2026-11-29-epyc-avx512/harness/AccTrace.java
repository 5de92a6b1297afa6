package org.kfac4j.bench.training;

import java.util.*;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.factor.FactorAccumulator;
import org.kfac4j.linalg.*;
import org.kfac4j.nn.capture.*;
import org.kfac4j.nn.tensor.*;

/** Median time of forming each cnn layer's expand input factor from one capture. */
public class AccTrace {
    public static void main(String[] a) {
        int reps = Integer.parseInt(a[0]);
        Linalg linalg = Linalg.create(LinalgConfig.defaults().withThreads(2));
        BenchProblem p = BenchProblem.of("cnn", DType.F32, 128);
        Captures captures = Captures.create();
        p.net().forward(p.x(), p.pass(linalg, captures));
        for (var e : captures.layers().entrySet()) {
            LayerCapture cap = e.getValue();
            int d = cap.inputRows().get(0).width();
            Tensor f = Tensor.zeros(DType.F32, d, d);
            double[] t = new double[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                FactorAccumulator.accumulateInput(linalg, cap, Approximation.EXPAND, 0.95, f);
                t[r] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "%-16s d=%4d median %7.2f ms%n", e.getKey().name(), d, t[reps / 2]);
        }
        linalg.close();
    }
}

package org.kfac4j.bench.training;

import java.util.*;
import org.kfac4j.kfac.*;
import org.kfac4j.linalg.*;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.loss.*;
import org.kfac4j.nn.model.*;
import org.kfac4j.nn.optim.*;
import org.kfac4j.nn.tensor.*;

/** Wall-clock per phase of the training step: forward, backward, kfac.step, by step kind. */
public class Phases {
    public static void main(String[] a) {
        String approx = a[0]; int steps = Integer.parseInt(a[1]); int skip = Integer.parseInt(a[2]);
        Linalg linalg = Linalg.create(LinalgConfig.defaults().withThreads(2));
        BenchProblem p = BenchProblem.of("cnn", DType.F32, 128);
        CrossEntropy loss = CrossEntropy.mean();
        Kfac<int[]> kfac = approx.equals("sgd") ? null : Kfac.builder(p.net(), loss).linalg(linalg).learningRate(Schedule.constant(1e-2))
            .momentum(0.9).weightDecay(5e-4).damping(1e-3).factorUpdateInterval(5).inverseUpdateInterval(20)
            .klClip(3e-5).factorDecay(0.95).approximation(Approximation.parse(approx)).build();
        Sgd sgd = new Sgd(p.net().parameters(), Schedule.constant(1e-2), 0.9, true, 5e-4);
        Map<String, double[]> sum = new TreeMap<>();
        for (int k = 0; k < steps; k++) {
            long t0 = System.nanoTime();
            var f = p.net().forward(p.x(), p.pass(linalg, kfac == null ? Captures.NONE : kfac.captures()));
            LossValue l = loss.evaluate(f.output(), p.y());
            long t1 = System.nanoTime();
            if (kfac != null) kfac.zeroGrad(); else sgd.zeroGrad();
            f.backward(l.gradient());
            long t2 = System.nanoTime();
            if (kfac != null) kfac.step(f, p.y()); else sgd.step();
            long t3 = System.nanoTime();
            String kind = k % 20 == 0 ? "inverse" : k % 5 == 0 ? "factor" : "plain";
            if (k >= skip) {
                double[] s = sum.computeIfAbsent(kind, x -> new double[5]);
                s[0] += (t1 - t0) / 1e6; s[1] += (t2 - t1) / 1e6; s[2] += (t3 - t2) / 1e6; s[3] += (t3 - t0) / 1e6; s[4]++;
            }
        }
        double total = 0, n = 0;
        for (var e : sum.entrySet()) {
            double[] s = e.getValue();
            System.out.printf(Locale.ROOT, "%s %-8s n=%3.0f forward %7.1f backward %7.1f step %7.1f total %7.1f ms%n", approx, e.getKey(), s[4], s[0]/s[4], s[1]/s[4], s[2]/s[4], s[3]/s[4]);
            total += s[3]; n += s[4];
        }
        System.out.printf(Locale.ROOT, "%s mean step %.1f ms%n", approx, total / n);
        linalg.close();
    }
}

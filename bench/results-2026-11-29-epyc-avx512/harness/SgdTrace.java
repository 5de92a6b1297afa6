package org.kfac4j.bench.training;

import java.util.*;
import org.kfac4j.linalg.*;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.loss.*;
import org.kfac4j.nn.optim.*;
import org.kfac4j.nn.tensor.*;

/** SGD step times in windows, to see whether a late compilation slows the step. */
public class SgdTrace {
    public static void main(String[] a) {
        int windows = Integer.parseInt(a[0]); int per = Integer.parseInt(a[1]);
        Linalg linalg = Linalg.create(LinalgConfig.defaults().withThreads(2));
        BenchProblem p = BenchProblem.of("cnn", DType.F32, 128);
        CrossEntropy loss = CrossEntropy.mean();
        Sgd sgd = new Sgd(p.net().parameters(), Schedule.constant(1e-3), 0.9, true, 5e-4);
        long start = System.nanoTime();
        for (int w = 0; w < windows; w++) {
            long t0 = System.nanoTime(); double fw = 0, bw = 0;
            for (int k = 0; k < per; k++) {
                long s0 = System.nanoTime();
                var f = p.net().forward(p.x(), p.pass(linalg, Captures.NONE));
                LossValue l = loss.evaluate(f.output(), p.y());
                long s1 = System.nanoTime();
                sgd.zeroGrad();
                f.backward(l.gradient());
                sgd.step();
                fw += (s1 - s0) / 1e6; bw += (System.nanoTime() - s1) / 1e6;
            }
            System.out.printf(Locale.ROOT, "t=%6.1fs window %2d: %.1f ms/step (forward %.1f, backward+step %.1f)%n",
                (System.nanoTime() - start) / 1e9, w, (System.nanoTime() - t0) / 1e6 / per, fw / per, bw / per);
        }
        linalg.close();
    }
}

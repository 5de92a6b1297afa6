// Needs a temporary GemmEngine.STATS (per-part compute ns of two-part GEMM regions, their start offsets and the
// regions' wall time) added to GemmEngine.gemm; not part of the build. Output in ../gather/imbalance.txt.
package org.kfac4j.bench.training;
import org.kfac4j.linalg.*;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.loss.*;
import org.kfac4j.nn.tensor.*;
public class Imb {
    public static void main(String[] a) {
        Linalg linalg = Linalg.create(LinalgConfig.defaults().withThreads(2));
        BenchProblem p = BenchProblem.of("cnn", DType.F32, 128);
        CrossEntropy loss = CrossEntropy.mean();
        for (int w = 0; w < 6; w++) {
            java.util.Arrays.fill(GemmEngine.STATS, 0);
            long t0 = System.nanoTime();
            for (int k = 0; k < 20; k++) {
                p.net().zeroGrad();
                var f = p.net().forward(p.x(), p.pass(linalg, Captures.NONE));
                f.backward(loss.evaluate(f.output(), p.y()).gradient());
            }
            long[] s = GemmEngine.STATS;
            System.out.printf("window %d: %.1f ms/step; GEMM regions %d: part0 (caller) %.1f ms, part1 (worker) %.1f ms, start offsets %.2f / %.2f ms, regions %.1f ms (per step)%n",
                w, (System.nanoTime() - t0) / 1e6 / 20, s[5] / 20, s[0] / 1e6 / 20, s[1] / 1e6 / 20, s[2] / 1e6 / 20, s[3] / 1e6 / 20, s[4] / 1e6 / 20);
        }
        linalg.close();
    }
}

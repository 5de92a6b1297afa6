package org.kfac4j.nn.layer;

import java.util.*;
import org.kfac4j.linalg.*;
import org.kfac4j.nn.tensor.*;

/** Stride-one Gram against the blocked SYRK of the rows, by channel count (28×28, 3×3, padding 1, 128 images). */
public class GramShapes {
    public static void main(String[] a) {
        Linalg linalg = Linalg.create(LinalgConfig.defaults().withThreads(2));
        SplittableRandom rnd = new SplittableRandom(1);
        for (String cs : a) {
            int c = Integer.parseInt(cs); int hw = c >= 128 ? 7 : c >= 64 ? 14 : 28;
            Tensor x = Tensor.zeros(DType.F32, 128, hw, hw, c);
            for (int q = 0; q < x.size(); q++) x.set(q, rnd.nextDouble());
            Im2col g = new Im2col(hw, hw, c, 3, 3, 1, 1);
            int d = 9 * c;
            Tensor out = Tensor.zeros(DType.F32, d, d);
            double[] ts = new double[15], tr = new double[15];
            for (int r = 0; r < 15; r++) {
                long t0 = System.nanoTime();
                StrideOneGram.addGram(linalg, g, x, 1, 0, out, d);
                long t1 = System.nanoTime();
                // the blocked SYRK path of ConvolutionRows (what runs below MIN_CHANNELS)
                blockedSyrk(linalg, g, x, out);
                long t2 = System.nanoTime();
                ts[r] = (t1 - t0) / 1e6; tr[r] = (t2 - t1) / 1e6;
            }
            Arrays.sort(ts); Arrays.sort(tr);
            System.out.printf(Locale.ROOT, "C=%3d %2dx%2d: shifted %.2f ms, blocked syrk %.2f ms, ratio %.2f%n", c, hw, hw, ts[7], tr[7], tr[7] / ts[7]);
        }
        linalg.close();
    }

    static void blockedSyrk(Linalg linalg, Im2col g, Tensor x, Tensor out) {
        int n = x.dim(0), r = g.outHeight() * g.outWidth(), ld = g.patch();
        int images = Conv2d.imagesPerBlock(n, r, ld, DType.F32);
        Tensor cols = x.zeros(images * r, ld);
        for (int first = 0; first < n; first += images) {
            int count = Math.min(images, n - first);
            g.gather(linalg, x, first, count, cols, 0, ld);
            linalg.ssyrk(Transpose.T, ld, count * r, 1f, cols.f32(), 0, ld, first == 0 ? 0f : 1f, out.f32(), 0, ld);
        }
    }
}

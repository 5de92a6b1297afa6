import org.kfac4j.linalg.*;
import java.util.*;
/** weight gradient orientations on gathered column blocks: colsT*g (current) vs gT*cols (packs cols) vs copying cols. */
public class WG {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]);
        int[][] shapes = {{784, 288, 32}, {196, 576, 64}, {49, 1152, 128}, {196, 288, 64}};
        try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(threads))) {
            for (int[] s : shapes) {
                int r = s[0], d = s[1], cout = s[2], n = 128;
                int blkImg = Math.max(1, (4 << 20) / (r * d * 4)), blk = blkImg * r, rows = n * r;
                float[] cols = new float[blk * d], g = new float[rows * cout], dw = new float[d * cout], dwT = new float[cout * d], copy = new float[blk * d];
                Random rnd = new Random(1); for (int i = 0; i < cols.length; i++) cols[i] = rnd.nextFloat(); for (int i = 0; i < g.length; i++) g[i] = rnd.nextFloat();
                double flops = 2.0 * rows * d * cout;
                for (int rep = 0; rep < 4; rep++) {
                    double[] ms = new double[3];
                    for (int v = 0; v < 3; v++) {
                        long t0 = System.nanoTime(); int it = 0;
                        while (System.nanoTime() - t0 < 700_000_000L) {
                            for (int b = 0; b < rows; b += blk) {
                                int m = Math.min(blk, rows - b);
                                if (v == 0) la.sgemm(Transpose.T, Transpose.N, d, cout, m, 1f, cols, 0, d, g, b * cout, cout, 1f, dw, 0, cout);
                                else if (v == 1) la.sgemm(Transpose.T, Transpose.N, cout, d, m, 1f, g, b * cout, cout, cols, 0, d, 1f, dwT, 0, d);
                                else System.arraycopy(cols, 0, copy, 0, m * d);
                            }
                            it++;
                        }
                        ms[v] = (System.nanoTime() - t0) / 1e6 / it;
                    }
                    System.out.printf("r %d d %d cout %d: colsT*g %.2f ms (%.1f GF/s) | gT*cols %.2f ms (%.1f) | copy of cols %.2f ms%n", r, d, cout, ms[0], flops / ms[0] / 1e6, ms[1], flops / ms[1] / 1e6, ms[2]);
                }
            }
        }
        System.exit(0);
    }
}

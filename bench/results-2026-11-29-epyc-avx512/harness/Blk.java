import java.util.*;
import org.kfac4j.linalg.*;

/** dgemm GFLOP/s at n = 1024 and 2048 on one thread for blockings "mc,kc,nc" (f32 blocking left default), rounds alternating. */
public class Blk {
    public static void main(String[] a) {
        int rounds = Integer.parseInt(a[0]);
        String prec = a[1];
        List<String> cfgs = Arrays.asList(a).subList(2, a.length);
        Map<String, Linalg> la = new LinkedHashMap<>();
        for (String c : cfgs) {
            String[] p = c.split(",");
            GemmBlocking b = new GemmBlocking(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            LinalgConfig cfg = LinalgConfig.defaults().withThreads(1);
            GemmBlocking def = LinalgConfig.defaults().blockingF32();
            GemmBlocking defD = LinalgConfig.defaults().blockingF64();
            la.put(c, Linalg.create(prec.equals("f64") ? cfg.withBlocking(def, b) : cfg.withBlocking(b, defD)));
        }
        SplittableRandom r = new SplittableRandom(1);
        int[] ns = {1024, 2048};
        double[][] A = new double[2][], B = new double[2][], C = new double[2][];
        float[][] fA = new float[2][], fB = new float[2][], fC = new float[2][];
        for (int i = 0; i < 2; i++) { int n = ns[i]; A[i] = new double[n*n]; B[i] = new double[n*n]; C[i] = new double[n*n];
            fA[i] = new float[n*n]; fB[i] = new float[n*n]; fC[i] = new float[n*n];
            for (int q = 0; q < n*n; q++) { A[i][q] = r.nextDouble(); B[i][q] = r.nextDouble(); fA[i][q] = (float) A[i][q]; fB[i][q] = (float) B[i][q]; } }
        Map<String, double[][]> res = new LinkedHashMap<>();
        for (String c : cfgs) res.put(c, new double[2][rounds]);
        for (int round = -2; round < rounds; round++) {
            for (String c : cfgs) {
                Linalg l = la.get(c);
                for (int i = 0; i < 2; i++) {
                    int n = ns[i]; int reps = i == 0 ? 8 : 1;
                    long t0 = System.nanoTime();
                    for (int q = 0; q < reps; q++) {
                        if (prec.equals("f64")) l.dgemm(Transpose.N, Transpose.N, n, n, n, 1, A[i], 0, n, B[i], 0, n, 0, C[i], 0, n);
                        else l.sgemm(Transpose.N, Transpose.N, n, n, n, 1, fA[i], 0, n, fB[i], 0, n, 0, fC[i], 0, n);
                    }
                    double gf = 2.0 * n * n * n * reps / (System.nanoTime() - t0);
                    if (round >= 0) res.get(c)[i][round] = gf;
                }
            }
        }
        for (String c : cfgs) {
            double[][] x = res.get(c); double[] ratio = new double[rounds];
            for (int q = 0; q < rounds; q++) ratio[q] = x[1][q] / x[0][q];
            Arrays.sort(x[0]); Arrays.sort(x[1]); Arrays.sort(ratio);
            System.out.printf(Locale.ROOT, "%s %-14s n=1024 %6.1f  n=2048 %6.1f GFLOP/s  ratio %.3f%n", prec, c, x[0][rounds/2], x[1][rounds/2], ratio[rounds/2]);
        }
        System.exit(0);
    }
}

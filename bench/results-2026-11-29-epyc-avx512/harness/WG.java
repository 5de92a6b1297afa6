import java.util.*;
import org.kfac4j.linalg.*;
/** Weight-gradient GEMM shapes of the cnn model (colsᵀ·g, A = a block's im2col rows read in place): rounds alternating
 *  over f32 blockings "mc,kc,nc". args: rounds threads cfg... */
public class WG {
    public static void main(String[] a) {
        int rounds = Integer.parseInt(a[0]); int threads = Integer.parseInt(a[1]);
        List<String> cfgs = Arrays.asList(a).subList(2, a.length);
        Map<String, Linalg> la = new LinkedHashMap<>();
        for (String c : cfgs) {
            String[] p = c.split(",");
            GemmBlocking b = new GemmBlocking(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
            LinalgConfig cfg = LinalgConfig.defaults().withThreads(threads);
            la.put(c, Linalg.create(cfg.withBlocking(b, cfg.blockingF64())));
        }
        int[][] shapes = {{288, 32, 3136}, {288, 64, 3528}, {576, 64, 1764}, {576, 128, 1813}, {1152, 128, 882}, {32, 64, 6272}};
        String[] names = {"stage1", "down2", "stage2", "down3", "stage3", "short2"};
        SplittableRandom r = new SplittableRandom(1);
        float[][] A = new float[shapes.length][], B = new float[shapes.length][], C = new float[shapes.length][];
        for (int s = 0; s < shapes.length; s++) { int d = shapes[s][0], o = shapes[s][1], k = shapes[s][2];
            A[s] = new float[k * d]; B[s] = new float[k * o]; C[s] = new float[d * o];
            for (int q = 0; q < A[s].length; q++) A[s][q] = (float) r.nextDouble(); for (int q = 0; q < B[s].length; q++) B[s][q] = (float) r.nextDouble(); }
        Map<String, double[][]> res = new LinkedHashMap<>();
        for (String c : cfgs) res.put(c, new double[shapes.length][rounds]);
        for (int round = -3; round < rounds; round++) for (String c : cfgs) { Linalg l = la.get(c);
            for (int s = 0; s < shapes.length; s++) { int d = shapes[s][0], o = shapes[s][1], k = shapes[s][2]; int reps = 20;
                long t0 = System.nanoTime();
                for (int q = 0; q < reps; q++) l.sgemm(Transpose.T, Transpose.N, d, o, k, 1, A[s], 0, d, B[s], 0, o, 1, C[s], 0, o);
                double gf = 2.0 * d * o * k * reps / (System.nanoTime() - t0);
                if (round >= 0) res.get(c)[s][round] = gf; } }
        for (int s = 0; s < shapes.length; s++) { StringBuilder sb = new StringBuilder(String.format("%-7s %4dx%3d k=%4d", names[s], shapes[s][0], shapes[s][1], shapes[s][2]));
            double base = 0;
            for (String c : cfgs) { double[] v = res.get(c)[s].clone(); Arrays.sort(v); double med = v[rounds / 2]; if (base == 0) base = med;
                sb.append(String.format("  %s: %6.1f GFLOP/s (%.2fx)", c, med, med / base)); }
            System.out.println(sb); }
        System.exit(0);
    }
}

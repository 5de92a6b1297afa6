import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import java.util.SplittableRandom;
/** Linalg.scorrelate2d alone on a cnn stage's padded shape: GFLOP/s after a long warm-up. args: side cin cout threads */
public class Corr {
    public static void main(String[] a) {
        int side = Integer.parseInt(a[0]), cin = Integer.parseInt(a[1]), cout = Integer.parseInt(a[2]);
        int t = Integer.parseInt(a[3]);
        int n = 128, hp = side + 2;
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[n * hp * hp * cin], f = new float[cout * 9 * cin], y = new float[n * side * side * cout];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < f.length; i++) f[i] = (float) r.nextDouble(-1, 1);
        double flops = 2.0 * n * side * side * cout * 9 * cin;
        try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(t))) {
            long end = System.nanoTime() + 4_000_000_000L;
            while (System.nanoTime() < end) la.scorrelate2d(n, hp, hp, cin, 3, 3, 1, cout, x, 0, f, 0, y, 0);
            double[] ms = new double[9];
            for (int k = 0; k < 9; k++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 10; i++) la.scorrelate2d(n, hp, hp, cin, 3, 3, 1, cout, x, 0, f, 0, y, 0);
                ms[k] = (System.nanoTime() - t0) / 10e6;
            }
            java.util.Arrays.sort(ms);
            System.out.printf("side %d cin %d cout %d threads %d: median %.3f ms, %.1f GFLOP/s%n", side, cin, cout, t,
                    ms[4], flops / ms[4] / 1e6);
        }
    }
}

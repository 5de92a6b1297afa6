import org.kfac4j.linalg.*;
import java.util.*;
/**
 * scorrelate2d against sgemm on the explicit column matrix (its flops, without building it), the cnn model's 3×3
 * stages at batch 128: java --add-modules jdk.incubator.vector -cp simd-linalg/target/simd-linalg-0.1.0-SNAPSHOT.jar:. Correlate THREADS
 */
public class Correlate {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]);
        int[][] shapes = {{28, 32, 32}, {14, 64, 64}, {7, 128, 128}};
        try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(threads))) {
            for (int[] s : shapes) {
                int side = s[0], cin = s[1], cout = s[2], n = 128, hp = side + 2;
                float[] x = new float[n * hp * hp * cin], f = new float[cout * 9 * cin], y = new float[n * side * side * cout];
                Random r = new Random(1); for (int i = 0; i < x.length; i++) x[i] = r.nextFloat(); for (int i = 0; i < f.length; i++) f[i] = r.nextFloat();
                int rows = n * side * side, k = 9 * cin;
                float[] cols = new float[rows * k];
                double flops = 2.0 * rows * k * cout;
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = System.nanoTime(); int it = 0;
                    while (System.nanoTime() - t0 < 1_000_000_000L) { la.scorrelate2d(n, hp, hp, cin, 3, 3, 1, cout, x, 0, f, 0, y, 0); it++; }
                    double ms = (System.nanoTime() - t0) / 1e6 / it;
                    t0 = System.nanoTime(); int it2 = 0;
                    while (System.nanoTime() - t0 < 1_000_000_000L) { la.sgemm(Transpose.N, Transpose.T, rows, cout, k, 1f, cols, 0, k, f, 0, k, 0f, y, 0, cout); it2++; }
                    double ms2 = (System.nanoTime() - t0) / 1e6 / it2;
                    System.out.printf("side %d cin %d cout %d: correlate %.2f ms %.1f GFLOP/s | gemm on cols %.2f ms %.1f GFLOP/s%n", side, cin, cout, ms, flops / ms / 1e6, ms2, flops / ms2 / 1e6);
                }
            }
        }
        System.exit(0);
    }
}

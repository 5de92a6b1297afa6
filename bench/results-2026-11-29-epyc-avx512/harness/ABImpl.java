import java.util.*;
import org.kfac4j.bench.layers.ConvFactorBench;

/** ConvFactorBench impl=image against impl=rows in one JVM, rounds alternating: java ABImpl layer threads rounds calls */
public class ABImpl {
    public static void main(String[] a) {
        String layer = a[0]; int threads = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]), calls = Integer.parseInt(a[3]);
        ConvFactorBench[] b = new ConvFactorBench[2];
        String[] impl = {"rows", "image"};
        for (int i = 0; i < 2; i++) { b[i] = new ConvFactorBench(); b[i].layer = layer; b[i].impl = impl[i]; b[i].threads = threads; b[i].batch = 128; b[i].setUp(); }
        for (int w = 0; w < 3; w++) for (int i = 0; i < 2; i++) { long e = System.nanoTime() + 1_000_000_000L; while (System.nanoTime() < e) b[i].gram(); }
        double[][] res = new double[2][rounds];
        for (int r = 0; r < rounds; r++) for (int i = 0; i < 2; i++) {
            double[] t = new double[calls];
            for (int q = 0; q < calls; q++) { long t0 = System.nanoTime(); b[i].gram(); t[q] = (System.nanoTime() - t0) / 1e6; }
            Arrays.sort(t); res[i][r] = t[calls / 2];
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) ratio[r] = res[0][r] / res[1][r];
        Arrays.sort(ratio); Arrays.sort(res[0]); Arrays.sort(res[1]);
        System.out.printf(Locale.ROOT, "%-7s threads %d: rows %.2f ms, image %.2f ms (medians of %d rounds); image speed / rows speed %.2f (rounds %.2f-%.2f)%n",
            layer, threads, res[0][rounds / 2], res[1][rounds / 2], rounds, ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
        System.exit(0);
    }
}

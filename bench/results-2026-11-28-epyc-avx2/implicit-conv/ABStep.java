import java.lang.reflect.*;
import java.net.*;
import java.util.*;
/** Interleaves training steps of two builds (benchmarks.jar) in one JVM: java ABStep A.jar B.jar model threads rounds stepsPerRound */
public class ABStep {
    public static void main(String[] args) throws Exception {
        String model = args[2]; int threads = Integer.parseInt(args[3]); int rounds = Integer.parseInt(args[4]); int steps = Integer.parseInt(args[5]);
        int nj = args[1].equals("-") ? 1 : 2;
        Object[] bench = new Object[nj]; Method[] step = new Method[nj];
        for (int i = 0; i < nj; i++) {
            ClassLoader cl = new URLClassLoader(new URL[]{new java.io.File(args[i]).toURI().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> c = cl.loadClass("org.kfac4j.bench.training.TrainStepBench");
            Object b = c.getConstructor().newInstance();
            c.getField("model").set(b, model); c.getField("threads").setInt(b, threads);
            c.getField("precision").set(b, "f32"); c.getField("batch").setInt(b, 128);
            c.getMethod("setUp").invoke(b);
            bench[i] = b; step[i] = c.getMethod("step");
        }
        for (int w = 0; w < 8; w++) for (int i = 0; i < nj; i++) step[i].invoke(bench[i]);
        double[][] res = new double[nj][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < nj; i++) {
                double[] t = new double[steps];
                for (int q = 0; q < steps; q++) { long t0 = System.nanoTime(); step[i].invoke(bench[i]); t[q] = (System.nanoTime() - t0) / 1e6; }
                Arrays.sort(t); res[i][round] = t[steps / 2];
            }
        }
        double[] med = new double[nj];
        for (int i = 0; i < nj; i++) { double[] r = res[i].clone(); Arrays.sort(r); med[i] = r[rounds / 2];
            System.out.printf("%s %s %dt median %.1f ms, rounds %s%n", i == 0 ? "A" : "B", model, threads, med[i], Arrays.toString(Arrays.stream(res[i]).map(x -> Math.round(x)).toArray())); }
        if (nj == 2) { double[] ratio = new double[rounds]; for (int r = 0; r < rounds; r++) ratio[r] = res[0][r] / res[1][r]; Arrays.sort(ratio);
            System.out.printf("B speed / A speed: median of round ratios %.3f (range %.3f-%.3f)%n", ratio[rounds / 2], ratio[0], ratio[rounds - 1]); }
        System.exit(0);
    }
}

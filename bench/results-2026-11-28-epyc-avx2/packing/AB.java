import java.lang.reflect.*;
import java.net.*;
import java.util.*;
/** Interleaves two builds of kfac4j in one JVM (one class loader each): java AB.java base.jar new.jar op n threads rounds */
public class AB {
    static Object linalg(ClassLoader cl, int threads) throws Exception {
        Class<?> cfg = cl.loadClass("org.kfac4j.linalg.LinalgConfig");
        Object c = cfg.getMethod("defaults").invoke(null);
        c = cfg.getMethod("withThreads", int.class).invoke(c, threads);
        return cl.loadClass("org.kfac4j.linalg.Linalg").getMethod("create", cfg).invoke(null, c);
    }
    public static void main(String[] args) throws Exception {
        String op = args[2]; int n = Integer.parseInt(args[3]); int threads = Integer.parseInt(args[4]); int rounds = Integer.parseInt(args[5]);
        int k = args.length > 6 ? Integer.parseInt(args[6]) : 8192;
        ClassLoader[] cls = new ClassLoader[2]; Object[] ls = new Object[2]; Method[] ms = new Method[2]; Object[] tr = new Object[2];
        for (int i = 0; i < 2; i++) {
            cls[i] = new URLClassLoader(new URL[]{new java.io.File(args[i]).toURI().toURL()}, ClassLoader.getPlatformClassLoader());
            ls[i] = linalg(cls[i], threads);
            Class<?> t = cls[i].loadClass("org.kfac4j.linalg.Transpose");
            tr[i] = Enum.valueOf((Class) t, "T");
            Object trN = Enum.valueOf((Class) t, "N");
            switch (op) {
                case "dsyrk" -> ms[i] = ls[i].getClass().getMethod("dsyrk", t, int.class, int.class, double.class, double[].class, int.class, int.class, double.class, double[].class, int.class, int.class);
                case "ssyrk" -> ms[i] = ls[i].getClass().getMethod("ssyrk", t, int.class, int.class, float.class, float[].class, int.class, int.class, float.class, float[].class, int.class, int.class);
                case "dgemm", "sgemm", "dgemmTN", "sgemmTN" -> { ms[i] = ls[i].getClass().getMethod(op.substring(0,5), t, t, int.class, int.class, int.class, op.startsWith("d") ? double.class : float.class, op.startsWith("d") ? double[].class : float[].class, int.class, int.class, op.startsWith("d") ? double[].class : float[].class, int.class, int.class, op.startsWith("d") ? double.class : float.class, op.startsWith("d") ? double[].class : float[].class, int.class, int.class); if (!op.endsWith("TN")) tr[i] = trN; }
            }
        }
        int ka = op.contains("syrk") || op.endsWith("TN") ? k : n;
        double[] a = new double[ka * n], c = new double[n * n]; float[] af = new float[ka * n], cf = new float[n * n];
        Random r = new Random(1); for (int i = 0; i < a.length; i++) { a[i] = r.nextDouble(); af[i] = (float) a[i]; }
        double[][] res = new double[2][rounds];
        double flops = op.contains("syrk") ? (double) n * n * k : 2.0 * n * n * ka;
        for (int round = 0; round < rounds + 2; round++) {
            for (int i = 0; i < 2; i++) {
                int reps = Math.max(1, (int) (2e9 / flops));
                long t0 = System.nanoTime();
                for (int q = 0; q < reps; q++) {
                    Object T = tr[i];
                    switch (op) {
                        case "dsyrk" -> ms[i].invoke(ls[i], T, n, k, 1.0, a, 0, n, 0.0, c, 0, n);
                        case "ssyrk" -> ms[i].invoke(ls[i], T, n, k, 1f, af, 0, n, 0f, cf, 0, n);
                        case "dgemm" -> ms[i].invoke(ls[i], T, T, n, n, n, 1.0, a, 0, n, a, 0, n, 0.0, c, 0, n);
                        case "sgemm" -> ms[i].invoke(ls[i], T, T, n, n, n, 1f, af, 0, n, af, 0, n, 0f, cf, 0, n);
                        case "dgemmTN" -> ms[i].invoke(ls[i], T, Enum.valueOf((Class) T.getClass(), "N"), n, n, k, 1.0, a, 0, n, a, 0, n, 0.0, c, 0, n);
                        case "sgemmTN" -> ms[i].invoke(ls[i], T, Enum.valueOf((Class) T.getClass(), "N"), n, n, k, 1f, af, 0, n, af, 0, n, 0f, cf, 0, n);
                    }
                }
                long t1 = System.nanoTime();
                if (round >= 2) res[i][round - 2] = (t1 - t0) / 1e6 / reps;
            }
        }
        double[] med = new double[2];
        for (int i = 0; i < 2; i++) { Arrays.sort(res[i]); med[i] = res[i][rounds / 2]; System.out.printf("%s %s n=%d %dt median %.2f ms (%.1f GFLOP/s), range %.2f-%.2f%n", i == 0 ? "A" : "B", op, n, threads, med[i], flops / med[i] / 1e6, res[i][0], res[i][rounds-1]); }
        System.out.printf("B speed / A speed %.3f%n", med[0] / med[1]);
        System.exit(0);
    }
}

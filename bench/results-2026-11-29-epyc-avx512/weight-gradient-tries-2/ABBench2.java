import java.lang.reflect.*;
import java.net.*;
import java.util.*;
/** Interleaves a JMH benchmark method of two builds in one JVM.
 *  java ABBench A.jar B.jar class method rounds callsPerRound field=value... */
public class ABBench2 {
    static final boolean ORDER_SWAP = Boolean.getBoolean("swap");
    public static void main(String[] args) throws Exception {
        String cls = args[2], method = args[3]; int rounds = Integer.parseInt(args[4]); int calls = Integer.parseInt(args[5]);
        int nj = args[1].equals("-") ? 1 : 2;
        Object[] bench = new Object[nj]; Method[] m = new Method[nj];
        for (int ii = 0; ii < nj; ii++) {
            int i = Boolean.getBoolean("setupswap") ? nj - 1 - ii : ii;
            ClassLoader cl = new URLClassLoader(new URL[]{new java.io.File(args[i]).toURI().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> c = cl.loadClass(cls);
            Object b = c.getConstructor().newInstance();
            for (int a = 6; a < args.length; a++) {
                String[] kv = args[a].split("=", 2); Field f = c.getField(kv[0]);
                if (f.getType() == int.class) f.setInt(b, Integer.parseInt(kv[1])); else f.set(b, kv[1]);
            }
            c.getMethod("setUp").invoke(b);
            bench[i] = b; m[i] = c.getMethod(method);
        }
        for (int w = 0; w < 3; w++) for (int ii = 0; ii < nj; ii++) { int i = Boolean.getBoolean("setupswap") ? nj - 1 - ii : ii; long e = System.nanoTime() + 1_000_000_000L; while (System.nanoTime() < e) m[i].invoke(bench[i]); }
        double[][] res = new double[nj][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int ii = 0; ii < nj; ii++) {
                int i = ORDER_SWAP && (round % 2 == 1) ? nj - 1 - ii : ii;
                double[] t = new double[calls];
                for (int q = 0; q < calls; q++) { long t0 = System.nanoTime(); m[i].invoke(bench[i]); t[q] = (System.nanoTime() - t0) / 1e6; }
                Arrays.sort(t); res[i][round] = t[calls / 2];
            }
        }
        double[] med = new double[nj];
        String label = String.join(" ", Arrays.copyOfRange(args, 6, args.length));
        for (int i = 0; i < nj; i++) { double[] r = res[i].clone(); Arrays.sort(r); med[i] = r[rounds / 2];
            System.out.printf("%s %s: median %.2f ms (rounds %.2f-%.2f)%n", i == 0 ? "A" : "B", label, med[i], r[0], r[rounds - 1]); }
        if (nj == 2) { double[] ratio = new double[rounds]; for (int r = 0; r < rounds; r++) ratio[r] = res[0][r] / res[1][r]; Arrays.sort(ratio);
            System.out.printf("%s: B speed / A speed %.3f (round ratios %.3f-%.3f)%n", label, ratio[rounds / 2], ratio[0], ratio[rounds - 1]); }
        System.exit(0);
    }
}

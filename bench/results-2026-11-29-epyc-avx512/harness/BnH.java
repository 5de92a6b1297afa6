// Times the four BatchNorm column kernels (Linalg.scolumn*) on 1024 rows of C channels and counts the bytes each
// call allocates (ThreadMXBean): zero once compiled, at every vector width.
// javac/java --add-modules jdk.incubator.vector -cp simd-linalg/target/classes:. BnH C relu
import org.kfac4j.linalg.Linalg;
public class BnH {
    public static void main(String[] a) {
        int rows = 1024, c = Integer.parseInt(a[0]);
        boolean relu = Boolean.parseBoolean(a[1]);
        float[] x = new float[rows * c], g = new float[rows * c], dx = new float[rows * c];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < x.length; i++) { x[i] = (float) r.nextGaussian(); g[i] = (float) r.nextGaussian(); }
        float[] s = new float[c], t = new float[c], aa = new float[c], k = new float[c], b = new float[c];
        java.util.Arrays.fill(s, 1.1f); java.util.Arrays.fill(t, 0.1f); java.util.Arrays.fill(aa, 0.5f);
        double[] sg = new double[c], sx = new double[c], sh = new double[c];
        Linalg la = Linalg.shared();
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int rep = 0; rep < 5; rep++) {
            long a0 = mx.getCurrentThreadAllocatedBytes(), t0 = System.nanoTime();
            for (int i = 0; i < 2000; i++) la.scolumnMoments(rows, c, x, 0, sh, sg, sx);
            long t1 = System.nanoTime(), a1 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2000; i++) la.scolumnGradientSums(rows, c, x, 0, g, 0, s, t, relu, sg, sx);
            long t2 = System.nanoTime(), a2 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2000; i++) la.scolumnAffineGradient(rows, c, x, 0, g, 0, s, t, relu, aa, k, b, dx, 0);
            long t3 = System.nanoTime(), a3 = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2000; i++) la.scolumnAffine(rows, c, x, 0, s, t, relu, dx, 0);
            long t4 = System.nanoTime(), a4 = mx.getCurrentThreadAllocatedBytes();
            System.out.printf("moments %.1f us %d B | gsums %.1f us %d B | agrad %.1f us %d B | affine %.1f us %d B%n",
                (t1 - t0) / 2000e3, (a1 - a0) / 2000, (t2 - t1) / 2000e3, (a2 - a1) / 2000,
                (t3 - t2) / 2000e3, (a3 - a2) / 2000, (t4 - t3) / 2000e3, (a4 - a3) / 2000);
        }
    }
}

public class Al {
    static volatile Object sink;
    public static void main(String[] a) {
        int n = 3_211_264; // 128*28*28*32 floats
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime(); int it = 0;
            while (System.nanoTime() - t0 < 1_000_000_000L) { float[] x = new float[n]; x[it % n] = 1; sink = x; it++; }
            double ms = (System.nanoTime() - t0) / 1e6 / it;
            // fill of an existing array for comparison
            float[] y = new float[n]; long t1 = System.nanoTime(); int jt = 0;
            while (System.nanoTime() - t1 < 1_000_000_000L) { java.util.Arrays.fill(y, 0f); jt++; }
            System.out.printf("new float[%d] %.3f ms (%.1f GB/s) | Arrays.fill %.3f ms%n", n, ms, n * 4 / ms / 1e6, (System.nanoTime() - t1) / 1e6 / jt);
        }
    }
}

package org.kfac4j.bench.impl;

import java.util.SplittableRandom;

/**
 * The inputs of one benchmark: A (rows × inner) and B (inner × cols), row-major, random in [-1, 1), in both
 * precisions. With {@code gram} the problem is C = AᵀA and B is unused.
 */
public record Operands(boolean f32, boolean gram, int rows, int inner, int cols,
                       double[] a64, double[] b64, float[] a32, float[] b32) {

    public static Operands product(boolean f32, int m, int k, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = random(rnd, m * k);
        double[] b = random(rnd, k * n);
        return new Operands(f32, false, m, k, n, a, b, toFloat(a), toFloat(b));
    }

    /** C = AᵀA with A of {@code samples} × {@code dim}: a K-FAC factor. */
    public static Operands gram(boolean f32, int samples, int dim, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = random(rnd, samples * dim);
        return new Operands(f32, true, samples, dim, dim, a, null, toFloat(a), null);
    }

    /** Rows × columns of C. */
    public int resultRows() {
        return gram ? inner : rows;
    }

    public double flops() {
        return gram ? (double) inner * inner * rows : 2.0 * rows * inner * cols;
    }

    /**
     * Checks {@code c} against dot products computed in double at 200 sampled positions, within
     * 4·(depth)·u·Σ|a||b| (u the unit roundoff of the precision); throws naming the implementation.
     */
    public void verify(String impl, double[] c) {
        SplittableRandom rnd = new SplittableRandom(99);
        int n = gram ? inner : cols;
        int m = resultRows();
        int depth = gram ? rows : inner;
        double u = f32 ? 0x1p-24 : 0x1p-53;
        for (int s = 0; s < 200; s++) {
            int i = rnd.nextInt(m), j = rnd.nextInt(n);
            double want = 0, mag = 0;
            for (int p = 0; p < depth; p++) {
                double x = gram ? a(p * inner + i) * a(p * inner + j) : a(i * inner + p) * b(p * cols + j);
                want += x;
                mag += Math.abs(x);
            }
            double got = c[i * n + j];
            if (!(Math.abs(got - want) <= 4 * depth * u * mag)) {
                throw new IllegalStateException(impl + " computed C[" + i + "," + j + "] = " + got + ", expected "
                        + want + ": not timed");
            }
        }
    }

    private double a(int idx) {
        return f32 ? a32[idx] : a64[idx];
    }

    private double b(int idx) {
        return f32 ? b32[idx] : b64[idx];
    }

    private static double[] random(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}

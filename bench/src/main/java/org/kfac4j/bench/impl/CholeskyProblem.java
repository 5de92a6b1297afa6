package org.kfac4j.bench.impl;

import java.util.SplittableRandom;

/**
 * A symmetric positive definite n×n matrix: off-diagonal entries in [-1, 1), diagonal n (strictly diagonally
 * dominant, so positive definite by Gershgorin), row-major, in both precisions.
 */
public record CholeskyProblem(boolean f32, int n, double[] a64, float[] a32) {

    public static CholeskyProblem random(boolean f32, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = new double[n * n];
        float[] af = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                float x = (float) rnd.nextDouble(-1, 1);
                a[i * n + j] = a[j * n + i] = x;
                af[i * n + j] = af[j * n + i] = x;
            }
            a[i * n + i] = af[i * n + i] = n;
        }
        return new CholeskyProblem(f32, n, a, af);
    }

    /** n³/3, the flops of the factorisation. */
    public double flops() {
        return (double) n * n * n / 3;
    }

    /** Checks (L·Lᵀ)[i][j] = A[i][j] at 200 sampled positions within 4·n·u·Σ|L_ip·L_jp|; throws naming impl. */
    public void verify(String impl, CholeskyFactorization chol) {
        SplittableRandom rnd = new SplittableRandom(5);
        double u = f32 ? 0x1p-24 : 0x1p-53;
        for (int s = 0; s < 200; s++) {
            int i = rnd.nextInt(n), j = rnd.nextInt(i + 1);
            double sum = 0, mag = 0;
            for (int p = 0; p <= j; p++) {
                double x = chol.lower(i, p) * chol.lower(j, p);
                sum += x;
                mag += Math.abs(x);
            }
            if (!(Math.abs(sum - a64[i * n + j]) <= 4 * n * u * mag)) {
                throw new IllegalStateException(impl + ": (LLᵀ)[" + i + "," + j + "] = " + sum + ", A = "
                        + a64[i * n + j] + ": not timed");
            }
        }
    }
}

package org.kfac4j.bench.impl;

import java.util.SplittableRandom;

/** A random symmetric n×n matrix, entries in [-1, 1), row-major, in both precisions. */
public record EigenProblem(boolean f32, int n, double[] a64, float[] a32) {

    public static EigenProblem random(boolean f32, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = new double[n * n];
        float[] af = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                float x = (float) rnd.nextDouble(-1, 1);
                a[i * n + j] = a[j * n + i] = x;
                af[i * n + j] = af[j * n + i] = x;
            }
        }
        return new EigenProblem(f32, n, a, af);
    }

    /** Flops LAPACK's dsyevd is usually credited with: 4/3·n³ (tridiagonal) + 2n³ (back-transformation) + D&C. */
    public double nominalFlops() {
        return 9.0 * n * n * n;
    }

    /**
     * Checks an implementation before it is timed: eigenvalues ascending and within 100·n·u·‖A‖_F of
     * {@code reference}; for 16 sampled j, ‖A·v_j − λ_j·v_j‖ ≤ 100·n·u·‖A‖_F, |‖v_j‖ − 1| and |v_i·v_j| ≤ 100·n·u
     * (u the unit roundoff of the precision). Throws naming the implementation.
     */
    public void verify(String impl, Eigensolver solver, double[] reference) {
        double u = f32 ? 0x1p-24 : 0x1p-53;
        double normA = 0;
        for (double x : a64) {
            normA += x * x;
        }
        normA = Math.sqrt(normA);
        double tol = 100 * n * u;
        double[] values = solver.values();
        for (int j = 0; j < n; j++) {
            if (j > 0 && values[j] < values[j - 1]) {
                throw new IllegalStateException(impl + ": eigenvalues not ascending at " + j + ": not timed");
            }
            if (reference != null && !(Math.abs(values[j] - reference[j]) <= tol * normA)) {
                throw new IllegalStateException(impl + ": eigenvalue " + j + " = " + values[j] + ", reference "
                        + reference[j] + ": not timed");
            }
        }
        SplittableRandom rnd = new SplittableRandom(7);
        double[] previous = null;
        int previousJ = -1;
        for (int s = 0; s < 16; s++) {
            int j = rnd.nextInt(n);
            double[] v = solver.vector(j);
            double residual = 0, norm = 0;
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a64[i * n + k] * v[k];
                }
                residual += (av - values[j] * v[i]) * (av - values[j] * v[i]);
                norm += v[i] * v[i];
            }
            if (!(Math.sqrt(residual) <= tol * normA) || !(Math.abs(Math.sqrt(norm) - 1) <= tol)) {
                throw new IllegalStateException(impl + ": eigenpair " + j + " has residual " + Math.sqrt(residual)
                        + " and norm " + Math.sqrt(norm) + ": not timed");
            }
            if (previous != null && previousJ != j) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += previous[i] * v[i];
                }
                if (!(Math.abs(dot) <= tol)) {
                    throw new IllegalStateException(impl + ": eigenvectors not orthogonal (" + dot + "): not timed");
                }
            }
            previous = v;
            previousJ = j;
        }
    }
}

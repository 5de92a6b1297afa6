package org.kfac4j.linalg;

import java.util.SplittableRandom;

/** Symmetric test matrices, row-major n×n with leading dimension n, some with a spectrum known by construction. */
final class TestMatrices {
    private TestMatrices() {
    }

    static double[] random(int n, SplittableRandom rnd) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double x = rnd.nextDouble(-1, 1);
                a[i * n + j] = x;
                a[j * n + i] = x;
            }
        }
        return a;
    }

    /** A random orthogonal n×n matrix: a product of n random Householder reflectors. */
    static double[] orthogonal(int n, SplittableRandom rnd) {
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        double[] v = new double[n];
        for (int r = 0; r < n; r++) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextGaussian();
                norm += v[i] * v[i];
            }
            if (norm == 0) {
                continue;
            }
            // q ← q·(I − 2vvᵀ/‖v‖²)
            for (int i = 0; i < n; i++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += q[i * n + k] * v[k];
                }
                double f = 2 * dot / norm;
                for (int k = 0; k < n; k++) {
                    q[i * n + k] -= f * v[k];
                }
            }
        }
        return q;
    }

    /** Q·diag(lambda)·Qᵀ for a random orthogonal Q, symmetrised exactly. */
    static double[] withSpectrum(double[] lambda, SplittableRandom rnd) {
        int n = lambda.length;
        double[] q = orthogonal(n, rnd);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i * n + k] * lambda[k] * q[j * n + k];
                }
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    /** XᵀX for X with {@code rows} random rows: positive semi-definite of rank min(rows, n). */
    static double[] gram(int n, int rows, SplittableRandom rnd) {
        double[] x = new double[rows * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += x[r * n + i] * x[r * n + j];
                }
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    /** g_i·g_j·r_ij with g_i² spanning [10^lowExp, 10^highExp] geometrically: entries span the same decades. */
    static double[] graded(int n, double lowExp, double highExp, SplittableRandom rnd) {
        double[] a = random(n, rnd);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = Math.pow(10, (lowExp + (highExp - lowExp) * i / Math.max(1, n - 1)) / 2);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] *= g[i] * g[j];
            }
        }
        return a;
    }

    /** Wilkinson's W⁺ of order n: diagonal |i − (n−1)/2|, off-diagonal 1; pairs of eigenvalues agree to many digits. */
    static double[] wilkinson(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = Math.abs(i - (n - 1) / 2.0);
            if (i + 1 < n) {
                a[i * n + i + 1] = 1;
                a[(i + 1) * n + i] = 1;
            }
        }
        return a;
    }

    /**
     * {@code copies} Wilkinson W⁺₂₁ blocks on the diagonal of a tridiagonal matrix, glued by off-diagonals
     * {@code glue}: clusters of eigenvalues agreeing to about |glue|, the classic hard case for orthogonality.
     */
    static double[] gluedWilkinson(int copies, double glue) {
        int m = 21, n = m * copies;
        double[] a = new double[n * n];
        for (int b = 0; b < copies; b++) {
            for (int i = 0; i < m; i++) {
                int g = b * m + i;
                a[g * n + g] = Math.abs(i - 10);
                if (i + 1 < m) {
                    a[g * n + g + 1] = 1;
                    a[(g + 1) * n + g] = 1;
                }
            }
            if (b + 1 < copies) {
                int g = b * m + m - 1;
                a[g * n + g + 1] = glue;
                a[(g + 1) * n + g] = glue;
            }
        }
        return a;
    }

    static double frobenius(int n, double[] a) {
        double s = 0;
        for (int i = 0; i < n * n; i++) {
            s += a[i] * a[i];
        }
        return Math.sqrt(s);
    }
}

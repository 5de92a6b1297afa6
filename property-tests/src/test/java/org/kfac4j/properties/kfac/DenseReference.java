package org.kfac4j.properties.kfac;

/**
 * The dense computations the K-FAC properties compare against, written with plain loops: Kronecker products,
 * a linear solve by Gaussian elimination, Frobenius distances. Small sizes only (n ≤ a few hundred).
 */
final class DenseReference {
    private DenseReference() {
    }

    /** G ⊗ A for row-major G (p×p) and A (q×q): entry ((i,j),(k,l)) = G[i,k]·A[j,l], index i·q + j. */
    static double[] kron(double[] g, int p, double[] a, int q) {
        int n = p * q;
        double[] k = new double[n * n];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                for (int i2 = 0; i2 < p; i2++) {
                    for (int j2 = 0; j2 < q; j2++) {
                        k[(i * q + j) * n + i2 * q + j2] = g[i * p + i2] * a[j * q + j2];
                    }
                }
            }
        }
        return k;
    }

    /** The solution x of M·x = rhs (M n×n, row-major) by Gaussian elimination with partial pivoting. */
    static double[] solve(double[] matrix, int n, double[] rhs) {
        double[] m = matrix.clone();
        double[] x = rhs.clone();
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(m[row * n + col]) > Math.abs(m[pivot * n + col])) {
                    pivot = row;
                }
            }
            swapRows(m, n, col, pivot);
            double t = x[col];
            x[col] = x[pivot];
            x[pivot] = t;
            for (int row = col + 1; row < n; row++) {
                double f = m[row * n + col] / m[col * n + col];
                for (int k = col; k < n; k++) {
                    m[row * n + k] -= f * m[col * n + k];
                }
                x[row] -= f * x[col];
            }
        }
        for (int row = n - 1; row >= 0; row--) {
            double s = x[row];
            for (int k = row + 1; k < n; k++) {
                s -= m[row * n + k] * x[k];
            }
            x[row] = s / m[row * n + row];
        }
        return x;
    }

    private static void swapRows(double[] m, int n, int a, int b) {
        for (int k = 0; k < n; k++) {
            double t = m[a * n + k];
            m[a * n + k] = m[b * n + k];
            m[b * n + k] = t;
        }
    }

    /** M·v for M n×n. */
    static double[] times(double[] m, int n, double[] v) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += m[i * n + j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double distance(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** ‖actual − expected‖_F / ‖expected‖_F. */
    static double relativeError(double[] actual, double[] expected) {
        return distance(actual, expected) / norm(expected);
    }
}

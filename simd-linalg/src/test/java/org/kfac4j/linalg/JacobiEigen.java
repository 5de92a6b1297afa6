package org.kfac4j.linalg;

import java.util.Arrays;

/**
 * The test oracle for eigenvalues: the cyclic Jacobi method on a full copy, in plain double arithmetic, slow
 * (O(n³) per sweep) and independent of every kernel under test. Jacobi is accurate to small relative error on
 * graded matrices as well.
 */
final class JacobiEigen {
    private JacobiEigen() {
    }

    /** Eigenvalues of the symmetric part of the n×n row-major matrix a, ascending. */
    static double[] eigenvalues(int n, double[] a, int aOff, int lda) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                max = Math.max(max, Math.abs(a[aOff + i * lda + j]));
            }
        }
        // Work on A·2^s, exact, so that the sums of squares below neither overflow nor underflow.
        int shift = max == 0 ? 0 : -Math.getExponent(max) - 1;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = Math.scalb(0.5 * a[aOff + i * lda + j] + 0.5 * a[aOff + j * lda + i], shift);
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += m[i][i] * m[i][i];
                for (int j = i + 1; j < n; j++) {
                    off += m[i][j] * m[i][j];
                }
            }
            if (off <= 1e-34 * diag || off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p][q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++) {
                        double mkp = m[k][p], mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) {
                        double mpk = m[p][k], mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.scalb(m[i][i], -shift);
        }
        Arrays.sort(values);
        return values;
    }
}

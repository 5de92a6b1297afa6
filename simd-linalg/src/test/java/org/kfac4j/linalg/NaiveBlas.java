package org.kfac4j.linalg;

/**
 * The definitions, computed the slow way in double precision: the oracle the kernels are tested against.
 * {@link #gemm} also returns, per element of C, the magnitude |α|·(|op(A)|·|op(B)|) + |β|·|C| that the
 * rounding-error bound of a length-k dot product is proportional to.
 */
final class NaiveBlas {
    private NaiveBlas() {
    }

    static double opA(boolean trans, double[] a, int off, int ld, int i, int p) {
        return trans ? a[off + p * ld + i] : a[off + i * ld + p];
    }

    /** Returns {result, magnitude}, both m×n with leading dimension n. */
    static double[][] gemm(boolean ta, boolean tb, int m, int n, int k, double alpha,
                           double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                           double beta, double[] c, int cOff, int ldc) {
        double[] result = new double[m * n];
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                if (alpha != 0) {
                    for (int p = 0; p < k; p++) {
                        double x = opA(ta, a, aOff, lda, i, p) * opA(!tb, b, bOff, ldb, j, p);
                        sum += x;
                        abs += Math.abs(x);
                    }
                }
                double cij = beta == 0 ? 0 : c[cOff + i * ldc + j];
                result[i * n + j] = alpha * sum + beta * cij;
                magnitude[i * n + j] = Math.abs(alpha) * abs + Math.abs(beta * cij);
            }
        }
        return new double[][] {result, magnitude};
    }
}

package org.kfac4j.linalg.eigen;

import org.kfac4j.linalg.NonFiniteValueException;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;

/**
 * The symmetric eigensolver behind {@code org.kfac4j.linalg.SymmetricEigen}, in double precision (LAPACK's
 * dsyevd): scale, {@link TridiagonalReduction}, then {@link DivideAndConquer} (with vectors) or
 * {@link TridiagonalQl} (values only), {@link BackTransformation}, sort. Unchecked apart from the values: the
 * facade validates shapes.
 */
public final class SymmetricEigenSolver {
    private final TridiagonalReduction reduction;
    private final DivideAndConquer divideAndConquer;
    private final BackTransformation backTransformation;
    private final Level1KernelF64 l1;

    public SymmetricEigenSolver(GemmEngine<double[]> gemm, Level1KernelF64 l1, ThreadTeam team) {
        this.reduction = new TridiagonalReduction(gemm, l1, team);
        this.divideAndConquer = new DivideAndConquer(gemm, l1, team);
        this.backTransformation = new BackTransformation(gemm);
        this.l1 = l1;
    }

    /**
     * The eigenvalues of the symmetric part (A + Aᵀ)/2 of the n×n matrix at {@code a} in ascending order into
     * {@code values[valuesOff : valuesOff+n)}, and with {@code vectors} non-null the unit eigenvector of value i
     * into column i of {@code vectors} (leading dimension ldv). A is read completely before anything is written,
     * so {@code vectors} may be A's own array.
     *
     * @throws NonFiniteValueException if A holds NaN or ±Inf
     */
    public void solve(int n, double[] a, int aOff, int lda, double[] values, int valuesOff,
                      double[] vectors, int vOff, int ldv) {
        if (n == 0) {
            return;
        }
        double[] w = new double[n * n];
        int shift = symmetricUpperScaled(n, a, aOff, lda, w);
        double[] d = new double[n];
        double[] e = new double[n];
        double[] tau = new double[n];
        reduction.reduce(n, w, d, e, tau);
        if (vectors == null) {
            TridiagonalQl.solve(n, d, 0, e, 0, tridiagonalNorm(n, d, e), null, 0, 0, 0, l1);
            int[] order = Ordering.ascending(d, 0, n);
            for (int j = 0; j < n; j++) {
                values[valuesOff + j] = Math.scalb(d[order[j]], -shift);
            }
            return;
        }
        double[] gather = new double[n * n];
        double[] u = new double[n * n];
        // Divide and conquer leaves T's eigenvectors as rows of the output; sorted by value they go to gather.
        divideAndConquer.solve(n, d, e, vectors, vOff, ldv, gather, u);
        int[] order = Ordering.ascending(d, 0, n);
        for (int j = 0; j < n; j++) {
            values[valuesOff + j] = Math.scalb(d[order[j]], -shift);
            System.arraycopy(vectors, vOff + order[j] * ldv, gather, j * n, n);
        }
        backTransformation.apply(n, w, tau, n, gather, 0, n);
        transpose(n, gather, vectors, vOff, ldv);
    }

    /**
     * Writes the upper triangle of (A + Aᵀ)/2 into w, scaled by the power of two 2^shift that brings its largest
     * entry into [1/2, 1) (exact, and clear of overflow in the reduction), and returns shift.
     */
    private static int symmetricUpperScaled(int n, double[] a, int aOff, int lda, double[] w) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            int row = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                double x = a[row + j];
                if (!Double.isFinite(x)) {
                    throw new NonFiniteValueException("A", i, j, x);
                }
            }
            for (int j = i; j < n; j++) {
                double s = 0.5 * a[row + j] + 0.5 * a[aOff + j * lda + i];
                w[i * n + j] = s;
                max = Math.max(max, Math.abs(s));
            }
        }
        if (max == 0) {
            return 0;
        }
        int shift = -Math.getExponent(max) - 1;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                w[i * n + j] = Math.scalb(w[i * n + j], shift);
            }
        }
        return shift;
    }

    private static double tridiagonalNorm(int n, double[] d, double[] e) {
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0));
        }
        return norm;
    }

    /** dst[j][i] = src[i][j] (src n×n, leading dimension n), in square tiles that stay in L1. */
    private static void transpose(int n, double[] src, double[] dst, int dstOff, int ldd) {
        final int tile = 32;
        for (int i0 = 0; i0 < n; i0 += tile) {
            for (int j0 = 0; j0 < n; j0 += tile) {
                int iEnd = Math.min(n, i0 + tile), jEnd = Math.min(n, j0 + tile);
                for (int j = j0; j < jEnd; j++) {
                    int to = dstOff + j * ldd;
                    for (int i = i0; i < iEnd; i++) {
                        dst[to + i] = src[i * n + j];
                    }
                }
            }
        }
    }
}

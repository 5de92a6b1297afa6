package org.kfac4j.linalg.eigen;

import java.lang.ref.SoftReference;
import org.kfac4j.linalg.NonFiniteValueException;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;

/**
 * The symmetric eigensolver behind {@code org.kfac4j.linalg.SymmetricEigen}, computing in double (LAPACK's
 * dsyevd): scale, {@link TridiagonalReduction}, then {@link DivideAndConquer} (with vectors) or
 * {@link TridiagonalQl} (values only), sort, {@link BackTransformation}. Unchecked apart from the values: the
 * facade validates shapes.
 *
 * <p>Scratch (about 3n² doubles with vectors, n² without; 4n² for float input) is kept per calling thread between
 * calls, softly referenced, so that repeated calls allocate nothing and the collector may still reclaim it.
 */
public final class SymmetricEigenSolver {
    /** Square tiles of the final transposition (eigenvectors from rows to columns): 32×32 doubles stay in L1. */
    private static final int TILE = 32;
    private final TridiagonalReduction reduction;
    private final DivideAndConquer divideAndConquer;
    private final BackTransformation backTransformation;
    private final Level1KernelF64 l1;
    private final ThreadLocal<SoftReference<EigenWorkspace>> workspaces = new ThreadLocal<>();

    public SymmetricEigenSolver(GemmEngine<double[]> gemm, Level1KernelF64 l1, ThreadTeam team) {
        this.reduction = new TridiagonalReduction(gemm, l1, team);
        this.divideAndConquer = new DivideAndConquer(gemm, l1, team);
        this.backTransformation = new BackTransformation(gemm);
        this.l1 = l1;
    }

    /**
     * The eigenvalues of the symmetric part (A + Aᵀ)/2 of the n×n matrix at {@code a}, ascending, into
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
        EigenWorkspace ws = workspace(n, vectors != null, false);
        for (int i = 0; i < n; i++) {
            int j = l1.firstNonFinite(n, a, aOff + i * lda);
            if (j >= 0) {
                throw new NonFiniteValueException("A", i, j, a[aOff + i * lda + j]);
            }
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0.5 * a[aOff + i * lda + j] + 0.5 * a[aOff + j * lda + i];
                ws.w[i * n + j] = s;
                max = Math.max(max, Math.abs(s));
            }
        }
        // Divide and conquer leaves T's eigenvectors as rows of the caller's array; it is then overwritten last.
        int[] order = decompose(n, ws, max, vectors, vOff, ldv);
        for (int j = 0; j < n; j++) {
            values[valuesOff + j] = ws.d[order[j]];
        }
        if (vectors != null) {
            for (int r0 = 0; r0 < n; r0 += TILE) {
                for (int j0 = 0; j0 < n; j0 += TILE) {
                    for (int r = r0; r < Math.min(n, r0 + TILE); r++) {
                        for (int j = j0; j < Math.min(n, j0 + TILE); j++) {
                            vectors[vOff + r * ldv + j] = ws.gather[j * n + r];
                        }
                    }
                }
            }
        }
    }

    /** Single-precision {@link #solve(int, double[], int, int, double[], int, double[], int, int)}, computed in double. */
    public void solve(int n, float[] a, int aOff, int lda, float[] values, int valuesOff,
                      float[] vectors, int vOff, int ldv) {
        if (n == 0) {
            return;
        }
        EigenWorkspace ws = workspace(n, vectors != null, vectors != null);
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                float x = a[aOff + i * lda + j];
                if (!Float.isFinite(x)) {
                    throw new NonFiniteValueException("A", i, j, x);
                }
                if (j >= i) {
                    double s = 0.5 * x + 0.5 * (double) a[aOff + j * lda + i];
                    ws.w[i * n + j] = s;
                    max = Math.max(max, Math.abs(s));
                }
            }
        }
        int[] order = decompose(n, ws, max, vectors == null ? null : ws.q, 0, n);
        for (int j = 0; j < n; j++) {
            values[valuesOff + j] = (float) ws.d[order[j]];
        }
        if (vectors != null) {
            for (int r0 = 0; r0 < n; r0 += TILE) {
                for (int j0 = 0; j0 < n; j0 += TILE) {
                    for (int r = r0; r < Math.min(n, r0 + TILE); r++) {
                        for (int j = j0; j < Math.min(n, j0 + TILE); j++) {
                            vectors[vOff + r * ldv + j] = (float) ws.gather[j * n + r];
                        }
                    }
                }
            }
        }
    }

    /**
     * Decomposes the matrix in the upper triangle of ws.w (largest |entry| {@code max}): on return ws.d holds the
     * eigenvalues, in the order the returned permutation sorts ascending, and, with {@code q} non-null, the rows of
     * ws.gather the corresponding eigenvectors, already sorted. {@code q} (rows at qOff, leading dimension ldq) is
     * scratch for T's eigenvectors.
     */
    private int[] decompose(int n, EigenWorkspace ws, double max, double[] q, int qOff, int ldq) {
        // Scaled by a power of two to a largest entry in [1/2, 1): exact, and clear of overflow in the reduction.
        int shift = max == 0 ? 0 : -Math.getExponent(max) - 1;
        double[] w = ws.w;
        if (shift != 0) {
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    w[i * n + j] = Math.scalb(w[i * n + j], shift);
                }
            }
        }
        double[] d = ws.d;
        double[] e = ws.e;
        reduction.reduce(n, w, d, e, ws.tau, ws);
        int[] order;
        if (q == null) {
            TridiagonalQl.solve(n, d, 0, e, 0, tridiagonalNorm(n, d, e), null, 0, 0, 0, l1);
            order = Ordering.ascending(d, 0, n);
        } else {
            divideAndConquer.solve(n, d, e, q, qOff, ldq, ws.gather, ws.u);
            order = Ordering.ascending(d, 0, n);
            for (int j = 0; j < n; j++) {
                System.arraycopy(q, qOff + order[j] * ldq, ws.gather, j * n, n);
            }
            backTransformation.apply(n, w, ws.tau, ws.gather, 0, n, ws);
        }
        for (int i = 0; i < n; i++) {
            d[i] = Math.scalb(d[i], -shift);
        }
        return order;
    }

    private EigenWorkspace workspace(int n, boolean vectors, boolean ownQ) {
        SoftReference<EigenWorkspace> ref = workspaces.get();
        EigenWorkspace ws = ref == null ? null : ref.get();
        if (ws == null) {
            ws = new EigenWorkspace();
            workspaces.set(new SoftReference<>(ws));
        }
        return ws.ensure(n, vectors, ownQ);
    }

    private static double tridiagonalNorm(int n, double[] d, double[] e) {
        double norm = 0;
        for (int i = 0; i < n; i++) {
            norm = Math.max(norm, Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < n - 1 ? Math.abs(e[i]) : 0));
        }
        return norm;
    }
}

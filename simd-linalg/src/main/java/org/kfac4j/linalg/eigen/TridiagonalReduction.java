package org.kfac4j.linalg.eigen;

import java.util.Arrays;
import java.util.function.IntConsumer;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.gemm.Triangle;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;

/**
 * Householder reduction of a symmetric matrix to tridiagonal form, T = Qᵀ·A·Q, blocked as LAPACK's dsytrd.
 *
 * <p>Storage: A is held in the <em>upper</em> triangle of a row-major n×n array. Row i right of the diagonal is
 * then column i below it, so every reflector and every row of the symmetric product is a contiguous run (this is
 * column-major dsytrd with uplo = 'L', transposed).
 *
 * <p>Each panel of {@value #PANEL} columns reduces one column at a time. The symmetric product with the trailing
 * matrix (half of all flops, memory-bound: it streams the trailing triangle once per column) is done on the
 * trailing matrix as it was before the panel, corrected by the panel's pending rank-2 terms; after the panel, the
 * trailing matrix takes the whole update A ← A − V·Wᵀ − W·Vᵀ as one triangular GEMM (the other half of the
 * flops, at GEMM speed).
 */
final class TridiagonalReduction {
    /** Panel width: the rank of the deferred update; 32 balances the GEMM's depth against the per-column corrections. */
    static final int PANEL = 32;
    /**
     * Rows per partial sum of the symmetric product. Fixed (not per thread) so the summation order, and so every
     * bit of the result, is the same for any thread count.
     */
    static final int SYMV_CHUNK = 64;
    /** Trailing sizes below this run the symmetric product on one thread: the hand-off would cost more. */
    private static final int PARALLEL_SYMV_MIN = 192;

    private final GemmEngine<double[]> gemm;
    private final Level1KernelF64 l1;
    private final ThreadTeam team;

    TridiagonalReduction(GemmEngine<double[]> gemm, Level1KernelF64 l1, ThreadTeam team) {
        this.gemm = gemm;
        this.l1 = l1;
        this.team = team;
    }

    /**
     * Reduces the symmetric matrix in the upper triangle of {@code w} (n×n, row-major, leading dimension n). On
     * return {@code d[0:n)} and {@code e[0:n−1)} hold T's diagonal and off-diagonal, and Q = H_0·H_1 ⋯ H_{n−2}
     * with H_i = I − tau[i]·v_i·v_iᵀ, where v_i is zero in [0, i] and equals {@code w[i][i+1:n]} after it
     * ({@code w[i][i+1]} = 1). The strict lower triangle of {@code w} is not used. Scratch comes from {@code ws}.
     */
    void reduce(int n, double[] w, double[] d, double[] e, double[] tau, EigenWorkspace ws) {
        if (n == 0) {
            return;
        }
        double[] panelW = ws.panelW;
        double[] stack = ws.stack;
        double[] y = ws.y;
        double[] partials = ws.partials;
        for (int j0 = 0; j0 < n - 1; j0 += PANEL) {
            int b = Math.min(PANEL, n - 1 - j0);
            for (int c = 0; c < b; c++) {
                reduceColumn(n, w, d, e, tau, j0, c, panelW, y, partials);
            }
            trailingUpdate(n, w, j0, b, panelW, stack);
        }
        d[n - 1] = w[(n - 1) * n + n - 1];
    }

    /**
     * Column i = j0 + c of the panel: brings row i up to date with the panel's earlier columns, makes its
     * reflector, and computes the panel's w_c = τ·A·v − ½τ²(vᵀA·v)·v against the partly updated matrix.
     */
    private void reduceColumn(int n, double[] w, double[] d, double[] e, double[] tau, int j0, int c,
                              double[] panelW, double[] y, double[] partials) {
        int i = j0 + c;
        int row = i * n;
        // Row i ← row i − Σ_q (v_q·w_q[i] + w_q·v_q[i]) over the panel's earlier columns q.
        for (int q = 0; q < c; q++) {
            int vq = (j0 + q) * n;
            int wq = q * n;
            l1.axpy(n - i, -panelW[wq + i], w, vq + i, w, row + i);
            l1.axpy(n - i, -w[vq + i], panelW, wq + i, w, row + i);
        }
        d[i] = w[row + i];

        int s = i + 1;
        int m = n - s;
        double t = Householder.reflect(m, w, row + s, l1);
        e[i] = w[row + s];
        w[row + s] = 1.0;
        tau[i] = t;
        int wc = c * n;
        if (t == 0) {
            Arrays.fill(panelW, wc + s, wc + n, 0.0);
            return;
        }
        symmetricProduct(n, s, w, row, y, partials);
        // y ← y − Σ_q (v_q·(w_qᵀv) + w_q·(v_qᵀv)): the panel's pending rank-2 terms applied to v.
        for (int q = 0; q < c; q++) {
            int vq = (j0 + q) * n;
            int wq = q * n;
            double wv = l1.dot(m, panelW, wq + s, w, row + s);
            double vv = l1.dot(m, w, vq + s, w, row + s);
            l1.axpy(m, -wv, w, vq + s, y, s);
            l1.axpy(m, -vv, panelW, wq + s, y, s);
        }
        l1.scale(m, t, y, s);
        double alpha = -0.5 * t * l1.dot(m, y, s, w, row + s);
        l1.axpy(m, alpha, w, row + s, y, s);
        System.arraycopy(y, s, panelW, wc + s, m);
    }

    /**
     * y[s:n) ← A[s:n, s:n]·x for x = {@code w[xRow + s : xRow + n)}, A the symmetric matrix in the upper
     * triangle of w. Each stored element is read once: row r adds A[r, r:n]·x to y[r] and A[r, r+1:n]·x[r] to the
     * partial sum of its chunk of {@value #SYMV_CHUNK} rows, four rows per pass (so that x and the partial sum are
     * loaded once per four matrix elements); the partials are then added in chunk order.
     */
    private void symmetricProduct(int n, int s, double[] w, int xRow, double[] y, double[] partials) {
        int firstChunk = s / SYMV_CHUNK;
        int chunks = (n - 1) / SYMV_CHUNK - firstChunk + 1;
        IntConsumer chunk = t -> {
            int ch = firstChunk + t;
            int r0 = Math.max(s, ch * SYMV_CHUNK);
            int r1 = Math.min(n, (ch + 1) * SYMV_CHUNK);
            int p = ch * n;
            Arrays.fill(partials, p + r0, p + n, 0.0);
            double[] dots = new double[4];
            int r = r0;
            for (; r + 4 <= r1; r += 4) {
                // The 4×4 triangle at the group's start, then its four rows together from column r + 4 on.
                for (int k = 0; k < 4; k++) {
                    int row = (r + k) * n;
                    double xk = w[xRow + r + k];
                    double dot = 0;
                    for (int c = r + k; c < r + 4; c++) {
                        dot += w[row + c] * w[xRow + c];
                        if (c > r + k) {
                            partials[p + c] += xk * w[row + c];
                        }
                    }
                    y[r + k] = dot;
                }
                l1.dotAxpy4(n - r - 4, w, r * n + r + 4, n, w, xRow + r + 4,
                        w[xRow + r], w[xRow + r + 1], w[xRow + r + 2], w[xRow + r + 3], partials, p + r + 4, dots, 0);
                for (int k = 0; k < 4; k++) {
                    y[r + k] += dots[k];
                }
            }
            for (; r < r1; r++) {
                double xr = w[xRow + r];
                int a = r * n + r;
                double dot = l1.dotAxpy(n - r - 1, w, a + 1, w, xRow + r + 1, xr, partials, p + r + 1);
                y[r] = w[a] * xr + dot;
            }
        };
        if (n - s >= PARALLEL_SYMV_MIN) {
            team.forEachTask(chunks, chunk);
        } else {
            for (int t = 0; t < chunks; t++) {
                chunk.accept(t);
            }
        }
        for (int t = 0; t < chunks; t++) {
            int ch = firstChunk + t;
            int r0 = Math.max(s, ch * SYMV_CHUNK);
            l1.axpy(n - r0, 1.0, partials, ch * n + r0, y, r0);
        }
    }

    /**
     * A[t0:n, t0:n] ← A − V·Wᵀ − W·Vᵀ for the panel's b reflectors V (rows j0.. of w) and their w's, as one
     * triangular GEMM of depth 2b: C − Xᵀ·Y with X = [V; W] and Y = [W; V] stacked row-wise.
     */
    private void trailingUpdate(int n, double[] w, int j0, int b, double[] panelW, double[] stack) {
        int t0 = j0 + b;
        int mt = n - t0;
        if (mt == 0) {
            return;
        }
        // Leading dimension mt; rows [0,b) = W, [b,2b) = V, [2b,3b) = W: X = rows [b,3b), Y = rows [0,2b).
        for (int q = 0; q < b; q++) {
            System.arraycopy(panelW, q * n + t0, stack, q * mt, mt);
            System.arraycopy(w, (j0 + q) * n + t0, stack, (b + q) * mt, mt);
            System.arraycopy(panelW, q * n + t0, stack, (2 * b + q) * mt, mt);
        }
        gemm.gemmt(Triangle.UPPER, true, false, mt, 2 * b, -1.0, stack, b * mt, mt, stack, 0, mt,
                1.0, w, t0 * n + t0, n);
    }
}

package org.kfac4j.linalg.eigen;

import java.util.Arrays;
import org.kfac4j.linalg.gemm.GemmEngine;

/**
 * Applies the tridiagonalisation's Q = H_0·H_1 ⋯ H_{n−2} to eigenvectors held as rows (x ← x·Qᵀ, i.e. the
 * column vector Q·xᵀ), {@value #BLOCK} reflectors at a time in the compact WY form of Schreiber and Van Loan
 * (LAPACK's dlarft + dlarfb): H_{i0} ⋯ H_{i0+b−1} = I − V·T·Vᵀ with T upper triangular, so each block is three
 * GEMMs, X ← X − ((X·V)·Tᵀ)·Vᵀ.
 */
final class BackTransformation {
    /**
     * Reflectors per block: the depth of two of the three GEMMs. Deeper is closer to GEMM speed, but the
     * triangular factor costs 2·rows·b² per block (b/n of the total).
     */
    static final int BLOCK = 64;

    private final GemmEngine<double[]> gemm;

    BackTransformation(GemmEngine<double[]> gemm) {
        this.gemm = gemm;
    }

    /**
     * x ← x·Qᵀ for each of the n rows of x (length n, leading dimension ldx), with Q's reflectors as
     * {@link TridiagonalReduction#reduce} leaves them in w and tau. Scratch comes from {@code ws}.
     */
    void apply(int n, double[] w, double[] tau, double[] x, int xOff, int ldx, EigenWorkspace ws) {
        int reflectors = n - 1;
        if (reflectors <= 0) {
            return;
        }
        int rows = n;
        double[] vt = ws.vt;
        double[] gram = ws.gram;
        double[] t = ws.t;
        double[] xv = ws.xv;
        double[] xvt = ws.xvt;
        int lastBlock = (reflectors - 1) / BLOCK * BLOCK;
        // x·Qᵀ = x·H_{n−2} ⋯ H_0: the last block first.
        for (int i0 = lastBlock; i0 >= 0; i0 -= BLOCK) {
            int b = Math.min(BLOCK, reflectors - i0);
            int m = n - i0 - 1; // the block acts on coordinates [i0+1, n)
            // Vᵀ with its zeros and unit diagonal explicit: row q = v_{i0+q} on [i0+1, n).
            for (int q = 0; q < b; q++) {
                int row = q * m;
                Arrays.fill(vt, row, row + q, 0.0);
                System.arraycopy(w, (i0 + q) * n + i0 + q + 1, vt, row + q, m - q);
            }
            triangularFactor(b, m, vt, tau, i0, gram, t);
            int xBlock = xOff + i0 + 1;
            gemm.gemm(false, true, rows, b, m, 1.0, x, xBlock, ldx, vt, 0, m, 0.0, xv, 0, b);
            gemm.gemm(false, true, rows, b, b, 1.0, xv, 0, b, t, 0, b, 0.0, xvt, 0, b);
            gemm.gemm(false, false, rows, m, b, -1.0, xvt, 0, b, vt, 0, m, 1.0, x, xBlock, ldx);
        }
    }

    /**
     * T (b×b, upper) of H_{i0} ⋯ H_{i0+b−1} = I − V·T·Vᵀ: T[q][q] = τ_q and T[0:q, q] = −τ_q·T[0:q, 0:q]·(V[:, 0:q]ᵀ·v_q),
     * with the Gram matrix Vᵀ·V computed by one GEMM.
     */
    private void triangularFactor(int b, int m, double[] vt, double[] tau, int i0, double[] gram, double[] t) {
        gemm.gemm(false, true, b, b, m, 1.0, vt, 0, m, vt, 0, m, 0.0, gram, 0, b);
        Arrays.fill(t, 0, b * b, 0.0);
        for (int q = 0; q < b; q++) {
            double tq = tau[i0 + q];
            t[q * b + q] = tq;
            for (int p = 0; p < q; p++) {
                double sum = 0;
                for (int r = p; r < q; r++) {
                    sum += t[p * b + r] * gram[r * b + q];
                }
                t[p * b + q] = -tq * sum;
            }
        }
    }
}

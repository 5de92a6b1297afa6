package org.kfac4j.linalg.triangular;

import org.kfac4j.linalg.NotPositiveDefiniteException;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.gemm.Triangle;
import org.kfac4j.linalg.kernel.Level1KernelF64;

/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix, right-looking and blocked as LAPACK's
 * dpotrf: per diagonal block of {@value #BLOCK}, factor the block, solve the panel below it against the block's
 * Lᵀ, and subtract the panel's outer product from the trailing lower triangle with one triangular GEMM (which
 * carries all but ~{@value #BLOCK}/n of the flops, in the element type's own precision). Row-major; L overwrites
 * the lower triangle, the strict upper triangle is neither read nor written.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class BlockedCholesky<A> {
    /** Order of the diagonal blocks: the depth of the trailing GEMM. */
    static final int BLOCK = 128;

    private final Elements<A> el;
    private final GemmEngine<A> gemm;
    private final Level1KernelF64 l1;
    private final TriangularSolve<A> solve;

    public BlockedCholesky(Elements<A> el, GemmEngine<A> gemm, Level1KernelF64 l1, TriangularSolve<A> solve) {
        this.el = el;
        this.gemm = gemm;
        this.l1 = l1;
        this.solve = solve;
    }

    /**
     * Overwrites the lower triangle of the n×n matrix at {@code a} with L.
     *
     * @throws NotPositiveDefiniteException at the first pivot that is not positive; the factorisation stops there
     *                                      and the lower triangle is partly overwritten
     */
    public void factor(int n, A a, int aOff, int lda) {
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            int kb = Math.min(BLOCK, n - k0);
            int diag = aOff + k0 * lda + k0;
            factorDiagonalBlock(n, k0, kb, a, diag, lda);
            int below = n - k0 - kb;
            if (below > 0) {
                int panel = diag + kb * lda;
                solve.substituteRows(below, kb, a, diag, lda, a, panel, lda, false);
                gemm.gemmt(Triangle.LOWER, false, true, below, kb, -1.0, a, panel, lda, a, panel, lda,
                        1.0, a, panel + kb, lda);
            }
        }
    }

    /** The unblocked Cholesky–Banachiewicz factorisation of one kb×kb diagonal block, in double. */
    private void factorDiagonalBlock(int n, int k0, int kb, A a, int off, int lda) {
        double[] l = new double[kb * kb];
        for (int i = 0; i < kb; i++) {
            el.load(a, off + i * lda, lda, 1, i + 1, l, i * kb, kb);
        }
        for (int i = 0; i < kb; i++) {
            int row = i * kb;
            for (int j = 0; j < i; j++) {
                l[row + j] = (l[row + j] - l1.dot(j, l, row, l, j * kb)) / l[j * kb + j];
            }
            double pivot = l[row + i] - l1.dot(i, l, row, l, row);
            if (!(pivot > 0)) {
                throw new NotPositiveDefiniteException(k0 + i, pivot, n);
            }
            l[row + i] = Math.sqrt(pivot);
        }
        for (int i = 0; i < kb; i++) {
            el.store(l, i * kb, kb, 1, i + 1, a, off + i * lda, lda);
        }
    }
}

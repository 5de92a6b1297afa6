package org.kfac4j.linalg.triangular;

import org.kfac4j.linalg.NotPositiveDefiniteException;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.gemm.Triangle;
import org.kfac4j.linalg.kernel.Level1KernelF64;

/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix, recursive as LAPACK's dpotrf2 (Gustavson):
 * factor the leading half, solve the block below it against that factor's transpose (a recursive
 * {@link TriangularSolve}), subtract its outer product from the trailing half with one triangular GEMM, and factor
 * the trailing half. All flops but those of the diagonal triangles of order ≤ {@value TriangularSolve#BASE} run
 * on the GEMM kernels, in the element type's own precision. Row-major; L overwrites the lower triangle, the strict
 * upper triangle is neither read nor written.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class RecursiveCholesky<A> {
    private final Elements<A> el;
    private final GemmEngine<A> gemm;
    private final Level1KernelF64 l1;
    private final TriangularSolve<A> solve;
    /** Per thread: the base-case triangle, so that a factorisation allocates nothing. */
    private final ThreadLocal<double[]> scratch =
            ThreadLocal.withInitial(() -> new double[TriangularSolve.BASE * TriangularSolve.BASE]);

    public RecursiveCholesky(Elements<A> el, GemmEngine<A> gemm, Level1KernelF64 l1, TriangularSolve<A> solve) {
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
        factor(n, a, aOff, lda, 0, n);
    }

    /** The diagonal block of order n at {@code off}, whose first pivot is pivot {@code first} of {@code order}. */
    private void factor(int n, A a, int off, int lda, int first, int order) {
        if (n <= TriangularSolve.BASE) {
            factorBase(n, a, off, lda, first, order);
            return;
        }
        int n1 = TriangularSolve.half(n);
        int n2 = n - n1;
        factor(n1, a, off, lda, first, order);
        int below = off + n1 * lda;
        solve.solve(false, true, n2, n1, 1.0, a, off, lda, a, below, lda);
        gemm.gemmt(Triangle.LOWER, false, true, n2, n1, -1.0, a, below, lda, a, below, lda, 1.0, a, below + n1, lda);
        factor(n2, a, below + n1, lda, first + n1, order);
    }

    /** The unblocked Cholesky–Banachiewicz factorisation of a small diagonal block, in double. */
    private void factorBase(int n, A a, int off, int lda, int first, int order) {
        double[] l = scratch.get();
        for (int i = 0; i < n; i++) {
            el.load(a, off + i * lda, lda, 1, i + 1, l, i * n, n);
        }
        for (int i = 0; i < n; i++) {
            int row = i * n;
            for (int j = 0; j < i; j++) {
                l[row + j] = (l[row + j] - l1.dot(j, l, row, l, j * n)) / l[j * n + j];
            }
            double pivot = l[row + i] - l1.dot(i, l, row, l, row);
            if (!(pivot > 0)) {
                throw new NotPositiveDefiniteException(first + i, pivot, order);
            }
            l[row + i] = Math.sqrt(pivot);
        }
        for (int i = 0; i < n; i++) {
            el.store(l, i * n, n, 1, i + 1, a, off + i * lda, lda);
        }
    }
}

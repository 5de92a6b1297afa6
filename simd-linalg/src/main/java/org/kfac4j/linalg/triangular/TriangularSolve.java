package org.kfac4j.linalg.triangular;

import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;

/**
 * Triangular solves with a lower-triangular L of non-zero diagonal, many right-hand sides at once (BLAS trsm):
 * op(L)·X = α·B (left) or X·op(L) = α·B (right), X written over B.
 *
 * <p>Recursive, as in Elmroth and Gustavson's recursive level-3 algorithms: L is halved, one half of X is
 * solved, one GEMM removes it from the rest of B, and the other half is solved. The GEMMs carry all the flops but
 * the base cases' — triangles of order ≤ {@value #BASE} — whatever the shape, and their sizes halve smoothly
 * (no fixed block size to tune). The base cases run in double on scratch copies (transposed on the right, so that
 * every substitution step is an axpy across right-hand sides), split over the team by fixed groups of
 * right-hand sides, so the result does not depend on the thread count.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class TriangularSolve<A> {
    /** Order of the base-case triangles, solved by substitution: their flops are ≤ BASE/order of the total. */
    static final int BASE = 32;
    /** Right-hand sides per parallel substitution task. */
    private static final int TASK = 128;

    private final Elements<A> el;
    private final GemmEngine<A> gemm;
    private final Level1KernelF64 l1;
    private final ThreadTeam team;
    /**
     * Per thread: a base triangle (≤ BASE²) and a block of right-hand sides (≤ BASE·TASK), so that solves allocate
     * nothing (a fresh allocation per base case cost a solve up to twice its time in first-touch page faults).
     */
    private final ThreadLocal<double[]> triangleScratch = ThreadLocal.withInitial(() -> new double[BASE * BASE]);
    private final ThreadLocal<double[]> blockScratch = ThreadLocal.withInitial(() -> new double[BASE * TASK]);

    public TriangularSolve(Elements<A> el, GemmEngine<A> gemm, Level1KernelF64 l1, ThreadTeam team) {
        this.el = el;
        this.gemm = gemm;
        this.l1 = l1;
        this.team = team;
    }

    /**
     * X ← α·op(L)⁻¹·B ({@code left}; B m×n, L m×m) or α·B·op(L)⁻¹ (right; L n×n), op(L) = Lᵀ when
     * {@code transposed}. Only the lower triangle of L is read. Unchecked: L's diagonal must be non-zero.
     */
    public void solve(boolean left, boolean transposed, int m, int n, double alpha, A l, int lOff, int ldl,
                      A b, int bOff, int ldb) {
        if (m == 0 || n == 0) {
            return;
        }
        if (alpha != 1) {
            scale(m, n, alpha, b, bOff, ldb);
            if (alpha == 0) {
                return;
            }
        }
        if (left && !transposed) {
            leftLower(m, n, l, lOff, ldl, b, bOff, ldb, 0);
        } else if (left) {
            leftUpper(m, n, l, lOff, ldl, b, bOff, ldb);
        } else if (transposed) {
            rightLowerTransposed(m, n, l, lOff, ldl, b, bOff, ldb);
        } else {
            rightLower(m, n, l, lOff, ldl, b, bOff, ldb);
        }
    }

    /**
     * L⁻¹ for the m×m lower-triangular L, into {@code x} (m×m, leading dimension ldx): X = L⁻¹·I by the forward
     * solve, skipping the columns of each block of rows that are still zero (X is lower triangular), which takes
     * a third of a general solve's flops.
     */
    public void inverse(int m, A l, int lOff, int ldl, A x, int xOff, int ldx) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                el.set(x, xOff + i * ldx + j, i == j ? 1 : 0);
            }
        }
        leftLower(m, m, l, lOff, ldl, x, xOff, ldx, m);
    }

    /**
     * L·X = B: the top half of X first, then the bottom.
     *
     * @param rowEnd 0 for a general B. For the inverse (B lower triangular, as X then is): one past the global
     *               index of this call's last row; those rows are zero from that column on, so only the columns
     *               before it are solved and updated.
     */
    private void leftLower(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb, int rowEnd) {
        if (m <= BASE) {
            substituteColumns(m, columns(n, rowEnd), l, lOff, ldl, b, bOff, ldb, false);
            return;
        }
        int m1 = half(m);
        int m2 = m - m1;
        int rowEnd1 = rowEnd > 0 ? rowEnd - m2 : 0;
        leftLower(m1, n, l, lOff, ldl, b, bOff, ldb, rowEnd1);
        // B2 −= L21·X1
        gemm.gemm(false, false, m2, columns(n, rowEnd1), m1, -1.0, l, lOff + m1 * ldl, ldl, b, bOff, ldb,
                1.0, b, bOff + m1 * ldb, ldb);
        leftLower(m2, n, l, lOff + m1 * ldl + m1, ldl, b, bOff + m1 * ldb, ldb, rowEnd);
    }

    private static int columns(int n, int rowEnd) {
        return rowEnd > 0 ? Math.min(n, rowEnd) : n;
    }

    /** Lᵀ·X = B: the bottom half of X first, then the top. */
    private void leftUpper(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb) {
        if (m <= BASE) {
            substituteColumns(m, n, l, lOff, ldl, b, bOff, ldb, true);
            return;
        }
        int m1 = half(m);
        int m2 = m - m1;
        leftUpper(m2, n, l, lOff + m1 * ldl + m1, ldl, b, bOff + m1 * ldb, ldb);
        // B1 −= L21ᵀ·X2, L21 the m2×m1 block below L11
        gemm.gemm(true, false, m1, n, m2, -1.0, l, lOff + m1 * ldl, ldl, b, bOff + m1 * ldb, ldb,
                1.0, b, bOff, ldb);
        leftUpper(m1, n, l, lOff, ldl, b, bOff, ldb);
    }

    /** X·Lᵀ = B: the left half of X's columns first. */
    private void rightLowerTransposed(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb) {
        if (n <= BASE) {
            substituteRows(m, n, l, lOff, ldl, b, bOff, ldb, false);
            return;
        }
        int n1 = half(n);
        int n2 = n - n1;
        rightLowerTransposed(m, n1, l, lOff, ldl, b, bOff, ldb);
        // B2 −= X1·L21ᵀ
        gemm.gemm(false, true, m, n2, n1, -1.0, b, bOff, ldb, l, lOff + n1 * ldl, ldl, 1.0, b, bOff + n1, ldb);
        rightLowerTransposed(m, n2, l, lOff + n1 * ldl + n1, ldl, b, bOff + n1, ldb);
    }

    /** X·L = B: the right half of X's columns first. */
    private void rightLower(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb) {
        if (n <= BASE) {
            substituteRows(m, n, l, lOff, ldl, b, bOff, ldb, true);
            return;
        }
        int n1 = half(n);
        int n2 = n - n1;
        rightLower(m, n2, l, lOff + n1 * ldl + n1, ldl, b, bOff + n1, ldb);
        // B1 −= X2·L21
        gemm.gemm(false, false, m, n1, n2, -1.0, b, bOff + n1, ldb, l, lOff + n1 * ldl, ldl, 1.0, b, bOff, ldb);
        rightLower(m, n1, l, lOff, ldl, b, bOff, ldb);
    }

    /** The m×m base triangle on the left: columns of B in groups, each solved as a block of rows. */
    private void substituteColumns(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb, boolean transposedL) {
        double[] lkk = diagonalBlock(l, lOff, ldl, m);
        team.forEachRange(n, TASK, (c0, c1) -> {
            int w = c1 - c0;
            double[] x = blockScratch.get();
            el.load(b, bOff + c0, ldb, m, w, x, 0, w);
            substitute(lkk, m, x, w, transposedL);
            el.store(x, 0, w, m, w, b, bOff + c0, ldb);
        });
    }

    /**
     * The kb×kb base triangle on the right: X·Lᵀ = B is L·Xᵀ = Bᵀ (and X·L = B is Lᵀ·Xᵀ = Bᵀ), so groups of B's rows
     * are loaded transposed and solved as on the left, with long runs for the vector kernels.
     */
    private void substituteRows(int m, int kb, A l, int lOff, int ldl, A b, int bOff, int ldb, boolean transposedL) {
        double[] lkk = diagonalBlock(l, lOff, ldl, kb);
        team.forEachRange(m, TASK, (r0, r1) -> {
            int h = r1 - r0;
            double[] xt = blockScratch.get();
            el.loadTransposed(b, bOff + r0 * ldb, ldb, h, kb, xt, h);
            substitute(lkk, kb, xt, h, transposedL);
            el.storeTransposed(xt, h, h, kb, b, bOff + r0 * ldb, ldb);
        });
    }

    /**
     * The k rows of x (w entries each) ← L⁻¹·x, forward, or with {@code transposedL} Lᵀ⁻¹·x, backward, for the
     * k×k lower triangle {@code lkk}: each step is an axpy of one solved row into another.
     */
    private void substitute(double[] lkk, int k, double[] x, int w, boolean transposedL) {
        if (!transposedL) {
            for (int i = 0; i < k; i++) {
                for (int p = 0; p < i; p++) {
                    l1.axpy(w, -lkk[i * k + p], x, p * w, x, i * w);
                }
                l1.scale(w, 1 / lkk[i * k + i], x, i * w);
            }
        } else {
            for (int i = k - 1; i >= 0; i--) {
                for (int p = i + 1; p < k; p++) {
                    l1.axpy(w, -lkk[p * k + i], x, p * w, x, i * w);
                }
                l1.scale(w, 1 / lkk[i * k + i], x, i * w);
            }
        }
    }

    /** The split of a triangle of order n: half, rounded to a multiple of 8 (whole tiles for the GEMMs). */
    static int half(int n) {
        int h = n / 2;
        return h >= 16 ? h / 8 * 8 : h;
    }

    /** The kb×kb lower triangle at {@code off} in double, in this thread's scratch (only i ≥ j is read). */
    private double[] diagonalBlock(A l, int off, int ldl, int kb) {
        double[] block = triangleScratch.get();
        for (int i = 0; i < kb; i++) {
            el.load(l, off + i * ldl, ldl, 1, i + 1, block, i * kb, kb);
        }
        return block;
    }

    /** B ← α·B; with α = 0, B ← 0 without reading it (NaN in B does not survive, as in BLAS). */
    private void scale(int m, int n, double alpha, A b, int bOff, int ldb) {
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            if (alpha != 0) {
                el.load(b, bOff + i * ldb, ldb, 1, n, row, 0, n);
                l1.scale(n, alpha, row, 0);
            }
            el.store(row, 0, n, 1, n, b, bOff + i * ldb, ldb);
        }
    }
}

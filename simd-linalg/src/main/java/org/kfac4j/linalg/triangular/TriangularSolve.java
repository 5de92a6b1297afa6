package org.kfac4j.linalg.triangular;

import java.util.Arrays;
import org.kfac4j.linalg.gemm.GemmEngine;
import org.kfac4j.linalg.kernel.Level1KernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;

/**
 * Triangular solves with a lower-triangular L of non-zero diagonal, many right-hand sides at once (BLAS trsm):
 * op(L)·X = α·B (left) or X·op(L) = α·B (right), X written over B.
 *
 * <p>Blocked: L is cut into diagonal blocks of {@value #BLOCK}; each block of X is found by substitution against
 * its diagonal block, then one GEMM removes it from the rest of B. The GEMMs carry all but a fraction
 * {@value #BLOCK}/size of the flops. The substitutions run in double on scratch copies of the blocks, split over the
 * team by fixed groups of right-hand sides (so that the result does not depend on the thread count).
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class TriangularSolve<A> {
    /** Order of the diagonal blocks: the depth of the GEMM updates. */
    static final int BLOCK = 96;
    /** Right-hand sides per parallel substitution task. */
    private static final int TASK = 128;

    private final Elements<A> el;
    private final GemmEngine<A> gemm;
    private final Level1KernelF64 l1;
    private final ThreadTeam team;

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
            leftLower(m, n, l, lOff, ldl, b, bOff, ldb, false);
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
     * solve, skipping the columns of each block of rows that are still zero (X is lower triangular), which
     * takes a third of a general solve's flops.
     */
    public void inverse(int m, A l, int lOff, int ldl, A x, int xOff, int ldx) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                el.set(x, xOff + i * ldx + j, i == j ? 1 : 0);
            }
        }
        leftLower(m, m, l, lOff, ldl, x, xOff, ldx, true);
    }

    /** L·X = B, forward by blocks of rows. With {@code triangularRhs}, B's rows k.. are zero right of column k. */
    private void leftLower(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb, boolean triangularRhs) {
        for (int k0 = 0; k0 < m; k0 += BLOCK) {
            int kb = Math.min(BLOCK, m - k0);
            int cols = triangularRhs ? k0 + kb : n;
            double[] lkk = diagonalBlock(l, lOff + k0 * ldl + k0, ldl, kb, false);
            int rows = k0;
            team.forEachRange(cols, TASK, (c0, c1) -> {
                int w = c1 - c0;
                double[] x = new double[kb * w];
                el.load(b, bOff + rows * ldb + c0, ldb, kb, w, x, 0, w);
                for (int i = 0; i < kb; i++) {
                    for (int p = 0; p < i; p++) {
                        l1.axpy(w, -lkk[i * kb + p], x, p * w, x, i * w);
                    }
                    l1.scale(w, 1 / lkk[i * kb + i], x, i * w);
                }
                el.store(x, 0, w, kb, w, b, bOff + rows * ldb + c0, ldb);
            });
            int below = m - k0 - kb;
            if (below > 0) {
                gemm.gemm(false, false, below, cols, kb, -1.0, l, lOff + (k0 + kb) * ldl + k0, ldl,
                        b, bOff + k0 * ldb, ldb, 1.0, b, bOff + (k0 + kb) * ldb, ldb);
            }
        }
    }

    /** Lᵀ·X = B, backward by blocks of rows. */
    private void leftUpper(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb) {
        for (int k0 = (m - 1) / BLOCK * BLOCK; k0 >= 0; k0 -= BLOCK) {
            int kb = Math.min(BLOCK, m - k0);
            double[] lkk = diagonalBlock(l, lOff + k0 * ldl + k0, ldl, kb, false);
            int rows = k0;
            team.forEachRange(n, TASK, (c0, c1) -> {
                int w = c1 - c0;
                double[] x = new double[kb * w];
                el.load(b, bOff + rows * ldb + c0, ldb, kb, w, x, 0, w);
                for (int i = kb - 1; i >= 0; i--) {
                    for (int p = i + 1; p < kb; p++) {
                        l1.axpy(w, -lkk[p * kb + i], x, p * w, x, i * w);
                    }
                    l1.scale(w, 1 / lkk[i * kb + i], x, i * w);
                }
                el.store(x, 0, w, kb, w, b, bOff + rows * ldb + c0, ldb);
            });
            if (k0 > 0) {
                gemm.gemm(true, false, k0, n, kb, -1.0, l, lOff + k0 * ldl, ldl,
                        b, bOff + k0 * ldb, ldb, 1.0, b, bOff, ldb);
            }
        }
    }

    /** X·Lᵀ = B, forward by blocks of columns; each row of X solves L·xᵀ = bᵀ by dot products. */
    private void rightLowerTransposed(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb) {
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            int kb = Math.min(BLOCK, n - k0);
            substituteRows(m, kb, l, lOff + k0 * ldl + k0, ldl, b, bOff + k0, ldb, false);
            int right = n - k0 - kb;
            if (right > 0) {
                gemm.gemm(false, true, m, right, kb, -1.0, b, bOff + k0, ldb, l, lOff + (k0 + kb) * ldl + k0, ldl,
                        1.0, b, bOff + k0 + kb, ldb);
            }
        }
    }

    /** X·L = B, backward by blocks of columns; each row of X solves Lᵀ·xᵀ = bᵀ. */
    private void rightLower(int m, int n, A l, int lOff, int ldl, A b, int bOff, int ldb) {
        for (int k0 = (n - 1) / BLOCK * BLOCK; k0 >= 0; k0 -= BLOCK) {
            int kb = Math.min(BLOCK, n - k0);
            substituteRows(m, kb, l, lOff + k0 * ldl + k0, ldl, b, bOff + k0, ldb, true);
            if (k0 > 0) {
                gemm.gemm(false, false, m, k0, kb, -1.0, b, bOff + k0, ldb, l, lOff + k0 * ldl, ldl,
                        1.0, b, bOff, ldb);
            }
        }
    }

    /**
     * Each of the m rows x of the m×kb block of B ← x·L⁻ᵀ ({@code transposedL} false: L·xᵀ = bᵀ, forward) or
     * x·L⁻¹ (Lᵀ·xᵀ = bᵀ, backward), L the kb×kb lower-triangular block. The Cholesky panel is this with kb = its
     * block order.
     */
    void substituteRows(int m, int kb, A l, int lOff, int ldl, A b, int bOff, int ldb, boolean transposedL) {
        // For the backward solve, Lᵀ is stored so that its rows, read by the dot products, are contiguous.
        double[] lkk = diagonalBlock(l, lOff, ldl, kb, transposedL);
        team.forEachRange(m, TASK, (r0, r1) -> {
            int h = r1 - r0;
            double[] x = new double[h * kb];
            el.load(b, bOff + r0 * ldb, ldb, h, kb, x, 0, kb);
            for (int r = 0; r < h; r++) {
                int row = r * kb;
                if (!transposedL) {
                    for (int j = 0; j < kb; j++) {
                        x[row + j] = (x[row + j] - l1.dot(j, lkk, j * kb, x, row)) / lkk[j * kb + j];
                    }
                } else {
                    for (int j = kb - 1; j >= 0; j--) {
                        x[row + j] = (x[row + j] - l1.dot(kb - 1 - j, lkk, j * kb + j + 1, x, row + j + 1))
                                / lkk[j * kb + j];
                    }
                }
            }
            el.store(x, 0, kb, h, kb, b, bOff + r0 * ldb, ldb);
        });
    }

    /** The kb×kb lower triangle at {@code off} in double, zeros above; transposed (upper) if asked. */
    private double[] diagonalBlock(A l, int off, int ldl, int kb, boolean transposed) {
        double[] block = new double[kb * kb];
        for (int i = 0; i < kb; i++) {
            for (int j = 0; j <= i; j++) {
                double v = el.get(l, off + i * ldl + j);
                block[transposed ? j * kb + i : i * kb + j] = v;
            }
        }
        return block;
    }

    private void scale(int m, int n, double alpha, A b, int bOff, int ldb) {
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            el.load(b, bOff + i * ldb, ldb, 1, n, row, 0, n);
            if (alpha == 0) {
                Arrays.fill(row, 0.0);
            } else {
                l1.scale(n, alpha, row, 0);
            }
            el.store(row, 0, n, 1, n, b, bOff + i * ldb, ldb);
        }
    }
}

package org.kfac4j.linalg.gemm;

import java.util.Arrays;
import org.kfac4j.linalg.kernel.MicroKernelF64;

/** Packing, tile and merge for {@code double[]}. */
final class F64Precision extends Precision<double[]> {
    private final MicroKernelF64 kernel;

    F64Precision(MicroKernelF64 kernel) {
        super(kernel.mr(), kernel.nr(), new double[kernel.nr()]);
        this.kernel = kernel;
    }

    @Override
    double[] allocate(int length) {
        return new double[length];
    }

    @Override
    int length(double[] array) {
        return array.length;
    }

    @Override
    void packA(boolean transA, double[] a, int aOff, int lda, int i0, int mc, int p0, int kc, double[] dst) {
        if (transA) {
            kernel.packPanels(a, aOff, lda, p0, kc, i0, mc, mr, dst); // op(A) = Aᵀ: stored row p is column p
            return;
        }
        // op(A) = A: its rows are contiguous, so the block is a copy row by row; see Precision#packA
        for (int i = 0; i < mc; i++) {
            System.arraycopy(a, aOff + (i0 + i) * lda + p0, dst, i * kc, kc);
        }
        Arrays.fill(dst, mc * kc, BlockedGemm.roundUp(mc, mr) * kc, 0.0);
    }

    @Override
    void packB(boolean transB, double[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, double[] dst) {
        if (!transB) {
            kernel.packPanels(b, bOff, ldb, p0, kc, j0, nc, nr, dst);
            return;
        }
        for (int s = 0; s < nc; s += nr) {
            int cols = Math.min(nr, nc - s);
            int panel = s * kc;
            for (int j = 0; j < cols; j++) {
                int src = bOff + (j0 + s + j) * ldb + p0;
                for (int p = 0; p < kc; p++) {
                    dst[panel + p * nr + j] = b[src + p];
                }
            }
            for (int j = cols; j < nr; j++) {
                for (int p = 0; p < kc; p++) {
                    dst[panel + p * nr + j] = 0.0;
                }
            }
        }
    }

    @Override
    void tile(int kc, double[] a, int aOff, int rs, int cs, double[] bp, int bpOff, double alpha,
              double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        if (rs == 1 && cs == mr) {
            kernel.tile(kc, a, aOff, bp, bpOff, alpha, cIn, cInOff, ldcIn, c, cOff, ldc);
        } else {
            kernel.tileStrided(kc, a, aOff, rs, cs, bp, bpOff, alpha, cIn, cInOff, ldcIn, c, cOff,
                    ldc);
        }
    }

    @Override
    void tileRows(int runs, int run, int runStride, double[] a, int[] rows, int rowsAt, int delta, double[] bp,
                  int bpOff, double alpha, double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc) {
        kernel.tileRows(runs, run, runStride, a, rows, rowsAt, delta, bp, bpOff, alpha, cIn, cInOff, ldcIn, c, cOff,
                ldc);
    }

    @Override
    void mergeTile(double[] tile, double[] c, int cOff, int ldc, int m, int n, double beta, Triangle triangle,
                   int rowMinusCol) {
        double b = beta;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            int from = triangle == Triangle.UPPER ? Math.max(0, i + rowMinusCol) : 0;
            int to = triangle == Triangle.LOWER ? Math.min(n, i + rowMinusCol + 1) : n;
            for (int j = from; j < to; j++) {
                c[row + j] = b == 0 ? tile[i * nr + j] : tile[i * nr + j] + b * c[row + j];
            }
        }
    }

    @Override
    void scale(double[] c, int cOff, int ldc, int m, int n, double beta) {
        double b = beta;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (b == 0) {
                Arrays.fill(c, row, row + n, 0.0);
            } else if (b != 1) {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= b;
                }
            }
        }
    }

    @Override
    void mirrorLower(double[] c, int cOff, int ldc, int n) {
        // Square blocks so the column-strided reads of the lower triangle stay in L1.
        final int block = 64;
        for (int ib = 0; ib < n; ib += block) {
            for (int jb = ib; jb < n; jb += block) {
                int iEnd = Math.min(ib + block, n);
                int jEnd = Math.min(jb + block, n);
                for (int i = ib; i < iEnd; i++) {
                    for (int j = Math.max(jb, i + 1); j < jEnd; j++) {
                        c[cOff + i * ldc + j] = c[cOff + j * ldc + i];
                    }
                }
            }
        }
    }
}

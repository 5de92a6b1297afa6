package org.kfac4j.linalg.gemm;

import java.util.Arrays;
import org.kfac4j.linalg.kernel.MicroKernelF32;

/** Packing, tile and merge for {@code float[]}. */
final class F32Precision extends Precision<float[]> {
    private final MicroKernelF32 kernel;

    F32Precision(MicroKernelF32 kernel) {
        super(kernel.mr(), kernel.nr(), new float[kernel.nr()]);
        this.kernel = kernel;
    }

    @Override
    float[] allocate(int length) {
        return new float[length];
    }

    @Override
    int length(float[] array) {
        return array.length;
    }

    @Override
    void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] dst) {
        if (transA) {
            kernel.packPanels(a, aOff, lda, p0, kc, i0, mc, mr, dst); // op(A) = Aᵀ: stored row p is column p
            return;
        }
        // op(A) = A: its rows are contiguous, so the block is a copy row by row; see Precision#packA
        for (int i = 0; i < mc; i++) {
            System.arraycopy(a, aOff + (i0 + i) * lda + p0, dst, i * kc, kc);
        }
        Arrays.fill(dst, mc * kc, BlockedGemm.roundUp(mc, mr) * kc, 0f);
    }

    @Override
    void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] dst) {
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
                    dst[panel + p * nr + j] = 0f;
                }
            }
        }
    }

    @Override
    void tile(int kc, float[] a, int aOff, int rs, int cs, float[] bp, int bpOff, double alpha,
              float[] cIn, int cInOff, int ldcIn, float[] c, int cOff, int ldc) {
        if (rs == 1 && cs == mr) {
            kernel.tile(kc, a, aOff, bp, bpOff, (float) alpha, cIn, cInOff, ldcIn, c, cOff, ldc);
        } else {
            kernel.tileStrided(kc, a, aOff, rs, cs, bp, bpOff, (float) alpha, cIn, cInOff, ldcIn, c, cOff,
                    ldc);
        }
    }

    @Override
    void tileRows(int runs, int run, int runStride, float[] a, int[] rows, int rowsAt, int delta, float[] bp,
                  int bpOff, double alpha, float[] cIn, int cInOff, int ldcIn, float[] c, int cOff, int ldc) {
        kernel.tileRows(runs, run, runStride, a, rows, rowsAt, delta, bp, bpOff, (float) alpha, cIn, cInOff, ldcIn, c,
                cOff, ldc);
    }

    @Override
    void mergeTile(float[] tile, float[] c, int cOff, int ldc, int m, int n, double beta, Triangle triangle,
                   int rowMinusCol) {
        float b = (float) beta;
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
    void scale(float[] c, int cOff, int ldc, int m, int n, double beta) {
        float b = (float) beta;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (b == 0) {
                Arrays.fill(c, row, row + n, 0f);
            } else if (b != 1) {
                for (int j = 0; j < n; j++) {
                    c[row + j] *= b;
                }
            }
        }
    }

    @Override
    void mirrorLower(float[] c, int cOff, int ldc, int n) {
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

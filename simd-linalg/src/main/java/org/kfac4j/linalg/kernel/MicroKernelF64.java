package org.kfac4j.linalg.kernel;

/**
 * The register-blocked inner kernel of double-precision GEMM: one {@code mr() × nr()} tile of C updated
 * from packed operands, C ← C_in + α·Ã·B̃.
 *
 * <p>Packed layout (written by the GEMM driver): the A micro-panel holds, for each p in [0, kc), the
 * {@code mr()} values of column p consecutively; the B micro-panel holds, for each p, the {@code nr()}
 * values of row p consecutively. Implementations are unchecked: the driver guarantees every index is in
 * range. There is no β and no branch: C_in is C itself to accumulate (the driver scales it first when
 * β ∉ {0, 1}), or a row of NR zeros read with {@code ldcIn = 0} to overwrite C without reading it (β = 0: NaN or Inf
 * already in C does not propagate, as in BLAS).
 */
public interface MicroKernelF64 {

    /** Rows of the register tile. */
    int mr();

    /** Columns of the register tile. */
    int nr();

    /**
     * C[i, j] ← C_in[i, j] + α·Σ_p ap[apOff + p·mr + i]·bp[bpOff + p·nr + j] for the full tile,
     * C[i, j] at {@code c[cOff + i·ldc + j]}, C_in[i, j] at {@code cIn[cInOff + i·ldcIn + j]}.
     */
    void tile(int kc, double[] ap, int apOff, double[] bp, int bpOff,
              double alpha, double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc);

    /**
     * {@link #tile} with A read in place: A[i, p] at {@code a[aOff + i·rs + p·cs]}, row-major (lda, 1) or
     * transposed (1, lda). The driver uses it where packing A would cost more than it saves (thin products: an A
     * block used against few B micro-panels).
     */
    void tileStrided(int kc, double[] a, int aOff, int rs, int cs, double[] bp, int bpOff,
                     double alpha, double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc);

    /**
     * {@link #tile} with each row of A read in place at its own offset, in {@code runs} runs of {@code run}
     * contiguous values {@code runStride} apart: A[i, r·run + p] at
     * {@code a[rows[rowsAt + i] + delta + r·runStride + p]} for i in [0, mr()), depth runs·run. The rows of an
     * implicit im2col matrix (one output pixel each, a run per kernel row: its taps and channels are contiguous in a
     * channels-last image), which a convolution reads without building the matrix. The row offsets need not be
     * ordered, distinct or evenly spaced.
     */
    void tileRows(int runs, int run, int runStride, double[] a, int[] rows, int rowsAt, int delta, double[] bp,
                  int bpOff, double alpha, double[] cIn, int cInOff, int ldcIn, double[] c, int cOff, int ldc);

    /**
     * Packs stored rows [p0, p0 + kc) × columns [j0, j0 + count) of a row-major matrix ({@code src} from
     * {@code off}, leading dimension {@code ld}) into micro-panels {@code width} columns wide: panel c at
     * {@code dst[c·kc·width]} holds, for each p, the {@code width} values of row p, the last panel zero-padded. That
     * is the packed B of op(B) = B ({@code width = nr()}), and the packed A of op(A) = Aᵀ ({@code width = mr()}).
     * Each stored row is read once, in order, and dealt out to the panels: walking one panel at a time would re-read
     * every row once per panel, rows a page or more apart.
     */
    default void packPanels(double[] src, int off, int ld, int p0, int kc, int j0, int count, int width, double[] dst) {
        int panel = kc * width;
        for (int p = 0; p < kc; p++) {
            int s = off + (p0 + p) * ld + j0;
            for (int c = 0, d = p * width; c < count; c += width, d += panel) {
                int n = Math.min(width, count - c);
                System.arraycopy(src, s + c, dst, d, n);
                for (int j = n; j < width; j++) {
                    dst[d + j] = 0.0;
                }
            }
        }
    }
}

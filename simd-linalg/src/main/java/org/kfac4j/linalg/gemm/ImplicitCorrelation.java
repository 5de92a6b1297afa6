package org.kfac4j.linalg.gemm;

import org.kfac4j.linalg.GemmBlocking;

/**
 * Strided "valid" 2-D cross-correlation of channels-last images as a GEMM whose A is never built (implicit
 * im2col), for one range of output pixels owned by one thread:
 *
 * <pre>
 * Y[q, o] += Σ_{i &lt; kh} Σ_{j &lt; kw, c &lt; cin} X[img, s·h + i, s·w + j, c] · F[o, (i·kw + j)·cin + c]
 * </pre>
 *
 * for output pixel q = (img, h, w). A row of the im2col matrix, restricted to kernel row i, is one contiguous run of
 * kw·cin values of X (input row s·h + i, from column s·w, every channel): the register tile reads its MR rows there
 * in place, one offset per row, and a tile's rows may belong to different output rows or images; the kh runs of a
 * row are width·cin apart. The column matrix (kh·kw times the input) is neither written nor read back, which is what
 * a convolution through explicit im2col pays for on top of the same flops.
 *
 * <pre>
 * for each block of PIXELS output pixels : the MR-row tiles' input runs live in L1/L2
 *   for each NR-column panel of F        : packed once per call, shared by the threads
 *     for each chunk of kernel rows      : whole runs, at most the GEMM's kc deep (one run if a run is deeper): that
 *                                          part of the panel stays in L1 as in the GEMM ...
 *       for each tile of the block       : ... while the tiles stream past it; one micro-kernel call per tile
 *                                          and chunk (the accumulators stay in registers across its runs)
 * </pre>
 *
 * A tile's sum runs over the kernel rows in order whatever the thread split, so the result is bitwise independent
 * of the thread count.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
final class ImplicitCorrelation<A> {
    /**
     * Output pixels per block: 16 tiles of 6 rows. Their input runs (a few image rows, or two 9×9×128 padded images
     * for the cnn model's last stage) stay in L2 while the block runs past every panel of F.
     */
    static final int PIXELS = 96;

    private final Precision<A> prec;
    /** The GEMM's kc: a chunk of the depth holds as many whole kernel rows as fit it (at least one). */
    private final int kcBlock;

    ImplicitCorrelation(Precision<A> prec, GemmBlocking blocking) {
        this.prec = prec;
        this.kcBlock = blocking.kc();
    }

    /** Length of the packed F that {@link #packFilter} writes. */
    int packedLength(int depth, int cout) {
        return depth * BlockedGemm.roundUp(cout, prec.nr);
    }

    /**
     * F ({@code cout × depth}, row-major at {@code f[fOff]}) packed as the B operand: NR-column micro-panels of all
     * {@code depth} rows, panel s at {@code dst[s·depth]}, zero-padded.
     */
    void packFilter(A f, int fOff, int depth, int cout, A dst) {
        prec.packB(true, f, fOff, depth, 0, depth, 0, cout, dst);
    }

    /**
     * Y[q, :] += the correlation for output pixels q in [pixelFrom, pixelTo), images of height × width × cin at
     * {@code x[xOff]}, output ((height − kh) / stride + 1) × ((width − kw) / stride + 1) × cout at {@code y[yOff]}, the
     * filter packed by {@link #packFilter}.
     */
    void compute(int height, int width, int cin, int kh, int kw, int stride, int cout, A x, int xOff, A packedF,
                 A y, int yOff, int pixelFrom, int pixelTo) {
        final int mr = prec.mr;
        final int nr = prec.nr;
        int ho = (height - kh) / stride + 1;
        int wo = (width - kw) / stride + 1;
        int run = kw * cin; // depth of one kernel row: contiguous in X
        int depth = kh * run;
        int runsPerChunk = Math.max(1, kcBlock / run);
        Workspace<A> ws = prec.workspaceWithRows(BlockedGemm.roundUp(PIXELS, mr));
        int[] rows = ws.rowOffsets;
        for (int block = pixelFrom; block < pixelTo; block += PIXELS) {
            int pixels = Math.min(PIXELS, pixelTo - block);
            int padded = BlockedGemm.roundUp(pixels, mr);
            for (int t = 0; t < padded; t++) {
                // rows past the range repeat its last pixel: read in bounds, computed into the scratch tile only
                int q = block + Math.min(t, pixels - 1);
                int img = q / (ho * wo);
                int h = q / wo - img * ho;
                int w = q - (q / wo) * wo;
                rows[t] = xOff + ((img * height + h * stride) * width + w * stride) * cin;
            }
            for (int s = 0; s < cout; s += nr) {
                int n = Math.min(nr, cout - s);
                for (int first = 0; first < kh; first += runsPerChunk) {
                    int runs = Math.min(runsPerChunk, kh - first);
                    int delta = first * width * cin;
                    int panelAt = s * depth + first * run * nr;
                    for (int t = 0; t < pixels; t += mr) {
                        int m = Math.min(mr, pixels - t);
                        int yTile = yOff + (block + t) * cout + s;
                        // one call per tile and chunk: runs of kw·cin values, one per kernel row, width·cin apart
                        if (m == mr && n == nr) {
                            prec.tileRows(runs, run, width * cin, x, rows, t, delta, packedF, panelAt, 1, y, yTile,
                                    cout, y, yTile, cout);
                        } else {
                            prec.tileRows(runs, run, width * cin, x, rows, t, delta, packedF, panelAt, 1, prec.zeros,
                                    0, 0, ws.edgeTile, 0, nr);
                            prec.mergeTile(ws.edgeTile, y, yTile, cout, m, n, 1, Triangle.FULL, 0);
                        }
                    }
                }
            }
        }
    }
}

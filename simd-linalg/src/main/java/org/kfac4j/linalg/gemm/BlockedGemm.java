package org.kfac4j.linalg.gemm;

import org.kfac4j.linalg.GemmBlocking;

/**
 * The five loops of BLIS around a register micro-kernel, for one rectangle of C owned by one thread.
 *
 * <pre>
 * for jc over columns, step NC      : B panel kc×NC packed once per (jc, pc), lives in L3
 *   for pc over depth, step KC      : β applied on the first depth block only
 *     for ic over rows, step MC     : A block MC×kc packed once per (jc, pc, ic), lives in L2
 *       for jr over the panel, NR   : one B micro-panel kc×NR stays in L1 ...
 *         for ir over the block, MR : ... while the A micro-panels stream past it from L2
 *           micro-kernel            : MR×NR tile of C in registers across all of kc
 * </pre>
 *
 * A transposed op(A) (stored row p holding column p of op(A), as in AᵀA) is packed a slab of up to NC rows at a
 * time rather than block by block: each stored row is then read as one long contiguous run instead of one short run
 * per MC block, every run a page or more from the last. The slab is a run of consecutive A blocks, so the loop over
 * ic reads its blocks in place.
 *
 * Every tile lies on the global MR×NR grid of C whatever rectangle a thread owns, and every element's sum runs
 * over the same depth blocks in the same order, so the result is bitwise independent of the thread count.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
final class BlockedGemm<A> {
    /**
     * At most this many B micro-panels per A block, A is read in place instead of packed: packing pays back
     * through reuse across the panels, and a thin product (n of one to a few NR, as in convolutions with few output
     * channels) would spend more time packing A than multiplying.
     */
    static final int DIRECT_A_MAX_PANELS = 4;

    private final Precision<A> prec;
    private final int mcBlock;
    private final int kcBlock;
    private final int ncBlock;
    /** Rows of a transposed op(A) packed at once: whole MC blocks, as many as fit the NC of a B panel. */
    private final int slabRows;

    BlockedGemm(Precision<A> prec, GemmBlocking blocking) {
        this.prec = prec;
        this.mcBlock = roundUp(blocking.mc(), prec.mr);
        this.kcBlock = blocking.kc();
        this.ncBlock = roundUp(blocking.nc(), prec.nr);
        this.slabRows = Math.max(1, ncBlock / mcBlock) * mcBlock;
    }

    int mr() {
        return prec.mr;
    }

    int nr() {
        return prec.nr;
    }

    /**
     * C[rowFrom:rowTo, colFrom:colTo] ← α·op(A)·op(B) + β·C, for {@code k >= 1}. With a {@link Triangle} other
     * than FULL, only that triangle of C (the diagonal included) is read and written: tiles wholly outside it are
     * skipped, and tiles crossing the diagonal are computed into the scratch tile and merged element by element.
     * {@code rowFrom} and {@code colFrom} must lie on the MR and NR grid.
     */
    void compute(boolean transA, boolean transB, int k, double alpha,
                 A a, int aOff, int lda, A b, int bOff, int ldb, double beta, A c, int cOff, int ldc,
                 int rowFrom, int rowTo, int colFrom, int colTo, Triangle triangle) {
        final boolean lowerOnly = triangle == Triangle.LOWER;
        final boolean upperOnly = triangle == Triangle.UPPER;
        final int mr = prec.mr;
        final int nr = prec.nr;
        int kcMax = Math.min(kcBlock, k);
        // Buffers sized by this call's extent, not the block constants: a thin product packs a thin panel.
        boolean directA = roundUp(colTo - colFrom, nr) <= DIRECT_A_MAX_PANELS * nr;
        boolean packSlabs = transA && !directA && slabRows > mcBlock;
        int packRows = packSlabs ? slabRows : mcBlock; // rows of op(A) packed at once
        // A row-major B exactly one micro-panel wide (n = ldb = NR) is laid out as its packed panel already: read in
        // place. The weight gradient colsᵀ·g of a convolution with 32 output channels on 512-bit vectors, where both
        // threads splitting C by rows would each copy all of g.
        boolean bInPlace = !transB && ldb == nr && colFrom == 0 && colTo == nr;
        int rs = transA ? 1 : lda; // A[i, p] of op(A) at a[aOff + i·rs + p·cs]
        int cs = transA ? lda : 1;
        Workspace<A> ws = prec.workspace(Math.min(packRows, roundUp(rowTo - rowFrom, mr)) * kcMax,
                bInPlace ? 0 : kcMax * Math.min(ncBlock, roundUp(colTo - colFrom, nr)));
        A panelB = bInPlace ? b : ws.packedB;
        for (int jc = colFrom; jc < colTo; jc += ncBlock) {
            int nc = Math.min(ncBlock, colTo - jc);
            for (int pc = 0; pc < k; pc += kcBlock) {
                int kc = Math.min(kcBlock, k - pc);
                double betaBlock = pc == 0 ? beta : 1.0;
                int panelAt = bInPlace ? bOff + pc * nr : 0;
                if (!bInPlace) {
                    prec.packB(transB, b, bOff, ldb, pc, kc, jc, nc, ws.packedB);
                }
                for (int slab = rowFrom; slab < rowTo; slab += packRows) {
                    int slabEnd = Math.min(slab + packRows, rowTo);
                    // The slab's blocks that meet the triangle computed: a run, since the skipped ones lie at
                    // its top (LOWER) or its bottom (UPPER).
                    int first = slab;
                    while (first < slabEnd
                            && skipBlock(first, Math.min(mcBlock, slabEnd - first), jc, nc, triangle)) {
                        first += mcBlock;
                    }
                    int end = first;
                    while (end < slabEnd && !skipBlock(end, Math.min(mcBlock, slabEnd - end), jc, nc, triangle)) {
                        end = Math.min(end + mcBlock, slabEnd);
                    }
                    if (packSlabs && first < end) {
                        prec.packA(true, a, aOff, lda, first, end - first, pc, kc, ws.packedA);
                    }
                    for (int ic = first; ic < end; ic += mcBlock) {
                        int mc = Math.min(mcBlock, end - ic);
                        int blockAt = (ic - first) * kc; // the block's first micro-panel in the packed slab
                        if (!directA && !packSlabs) {
                            prec.packA(transA, a, aOff, lda, ic, mc, pc, kc, ws.packedA);
                            blockAt = 0;
                        }
                        for (int jr = 0; jr < nc; jr += nr) {
                            int n = Math.min(nr, nc - jr);
                            for (int ir = 0; ir < mc; ir += mr) {
                                int m = Math.min(mr, mc - ir);
                                if ((lowerOnly && jc + jr > ic + ir + m - 1)
                                        || (upperOnly && ic + ir > jc + jr + n - 1)) {
                                    continue; // tile wholly in the triangle not computed
                                }
                                int cTile = cOff + (ic + ir) * ldc + jc + jr;
                                int rowMinusCol = ic + ir - (jc + jr);
                                boolean crossesDiagonal = (lowerOnly && rowMinusCol < n - 1)
                                        || (upperOnly && rowMinusCol + m - 1 > 0);
                                A tileA = ws.packedA;
                                int tileAt = blockAt + ir * kc;
                                int tileRs = prec.packedRowStride(transA, kc);
                                int tileCs = prec.packedDepthStride(transA);
                                if (directA && m == mr) {
                                    tileA = a;
                                    tileAt = aOff + (ic + ir) * rs + pc * cs;
                                    tileRs = rs;
                                    tileCs = cs;
                                } else if (directA) {
                                    // the bottom edge: its few rows packed (zero-padded to MR) for this tile alone
                                    prec.packA(transA, a, aOff, lda, ic + ir, m, pc, kc, ws.packedA);
                                    tileAt = 0;
                                }
                                boolean full = m == mr && n == nr && !crossesDiagonal;
                                if (full && betaBlock == 0) {
                                    prec.tile(kc, tileA, tileAt, tileRs, tileCs, panelB, panelAt + jr * kc, alpha,
                                            prec.zeros, 0, 0, c, cTile, ldc); // C overwritten, never read
                                } else if (full) {
                                    if (betaBlock != 1) {
                                        // the kernel only accumulates
                                        prec.scale(c, cTile, ldc, mr, nr, betaBlock);
                                    }
                                    prec.tile(kc, tileA, tileAt, tileRs, tileCs, panelB, panelAt + jr * kc, alpha,
                                            c, cTile, ldc, c, cTile, ldc);
                                } else {
                                    // Edge or diagonal tile: into the scratch tile, then only its part of C.
                                    prec.tile(kc, tileA, tileAt, tileRs, tileCs, panelB, panelAt + jr * kc, alpha,
                                            prec.zeros, 0, 0, ws.edgeTile, 0, nr);
                                    prec.mergeTile(ws.edgeTile, c, cTile, ldc, m, n, betaBlock, triangle,
                                            rowMinusCol);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Whether rows [ic, ic + mc) lie wholly in the triangle of C not computed, for columns [jc, jc + nc). */
    private static boolean skipBlock(int ic, int mc, int jc, int nc, Triangle triangle) {
        return (triangle == Triangle.LOWER && ic + mc - 1 < jc) || (triangle == Triangle.UPPER && ic > jc + nc - 1);
    }

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }
}

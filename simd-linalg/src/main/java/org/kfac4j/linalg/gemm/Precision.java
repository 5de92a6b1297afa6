package org.kfac4j.linalg.gemm;

/**
 * The element-type-specific half of the blocked GEMM: array allocation, packing, the register tile and the
 * scalar merge of edge tiles. {@link BlockedGemm} holds the loops and is written once for both precisions;
 * the calls through this class are per block or per tile, never per element.
 *
 * <p>Packed formats (what the micro-kernels read): the block of op(A) rows [i0, i0+mc) × depth [p0, p0+kc)
 * starts row i at offset i·kc; for op(A) = Aᵀ it is stored micro-panel by micro-panel, panel r at offset r·kc
 * holding for each p the MR values of column p, and for op(A) = A row by row (see {@link #packA}). The panel of
 * op(B) depth [p0, p0+kc) × columns [j0, j0+nc) is stored by micro-panels of NR columns. Rows and columns past
 * the matrix edge are packed as zeros, so edge tiles run the same register kernel.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
abstract class Precision<A> {
    final int mr;
    final int nr;
    private final ThreadLocal<Workspace<A>> workspaces = ThreadLocal.withInitial(Workspace::new);

    /** NR zeros, never written: the C_in of a tile that overwrites C (β = 0), read with row stride 0. */
    final A zeros;

    Precision(int mr, int nr, A zeros) {
        this.mr = mr;
        this.nr = nr;
        this.zeros = zeros;
    }

    abstract A allocate(int length);

    abstract int length(A array);

    /**
     * Packs rows [i0, i0+mc) × depth [p0, p0+kc) of op(A), padding the last micro-panel with zero rows. For
     * op(A) = Aᵀ the micro-panels interleave MR columns of stored rows, a copy of MR-value runs. For op(A) = A they
     * are the block's rows themselves, copied whole (row stride kc), and the kernel reads its MR rows at that stride:
     * interleaving them is a transpose, element by element, which took 5.6% of a one-thread sgemm at n = 1024 on
     * Zen 5 (JFR), and each of two threads splitting C by columns packs all of A. The row copy made sgemm and dgemm
     * 1.06-1.10x as fast there on 512-bit vectors, 1.01-1.02x on 256-bit and the same on 128-bit (bench/README.md).
     */
    abstract void packA(boolean transA, A a, int aOff, int lda, int i0, int mc, int p0, int kc, A dst);

    /** Offset between rows of a packed op(A) block of depth kc: the {@code rs} of {@link #tile}. */
    final int packedRowStride(boolean transA, int kc) {
        return transA ? 1 : kc;
    }

    /** Offset between depths of a packed op(A) block: the {@code cs} of {@link #tile}. */
    final int packedDepthStride(boolean transA) {
        return transA ? mr : 1;
    }

    /** Packs depth [p0, p0+kc) × columns [j0, j0+nc) of op(B), padding the last micro-panel with zero columns. */
    abstract void packB(boolean transB, A b, int bOff, int ldb, int p0, int kc, int j0, int nc, A dst);

    /**
     * The full register tile: C ← C_in + α·A·B̃, A[i, p] at {@code a[aOff + i·rs + p·cs]} (packed: rs = 1, cs = mr),
     * C_in[i, j] at {@code cIn[cInOff + i·ldcIn + j]}: C itself, or {@link #zeros} with {@code ldcIn = 0}.
     */
    abstract void tile(int kc, A a, int aOff, int rs, int cs, A bp, int bpOff, double alpha,
                       A cIn, int cInOff, int ldcIn, A c, int cOff, int ldc);

    /**
     * The full register tile with each row of A read in place at its own offset, in runs: A[i, r·run + p] at
     * {@code a[rows[rowsAt + i] + delta + r·runStride + p]}, depth runs·run; otherwise as {@link #tile}.
     */
    abstract void tileRows(int runs, int run, int runStride, A a, int[] rows, int rowsAt, int delta, A bp,
                           int bpOff, double alpha, A cIn, int cInOff, int ldcIn, A c, int cOff, int ldc);

    /**
     * C[0:m, 0:n] ← tile + β·C for the tile stored with leading dimension {@code nr}, C unread when β = 0;
     * restricted, unless {@code triangle} is FULL, to the elements (i, j) with i − j + rowMinusCol ≥ 0 (LOWER) or
     * ≤ 0 (UPPER), rowMinusCol being the tile's first row minus its first column in C. The rest of C is neither
     * read nor written.
     */
    abstract void mergeTile(A tile, A c, int cOff, int ldc, int m, int n, double beta, Triangle triangle,
                            int rowMinusCol);

    /** C[0:m, 0:n] ← β·C, with β = 0 writing zeros (so NaN in C does not survive, as in BLAS). */
    abstract void scale(A c, int cOff, int ldc, int m, int n, double beta);

    /** Copies the strict lower triangle of the n×n matrix at {@code c} onto its upper triangle. */
    abstract void mirrorLower(A c, int cOff, int ldc, int n);

    /** This thread's buffers, at least as large as asked. */
    final Workspace<A> workspace(int packedA, int packedB) {
        Workspace<A> ws = workspaces.get();
        if (ws.packedA == null || length(ws.packedA) < packedA) {
            ws.packedA = allocate(packedA);
        }
        if (ws.packedB == null || length(ws.packedB) < packedB) {
            ws.packedB = allocate(packedB);
        }
        if (ws.edgeTile == null) {
            ws.edgeTile = allocate(mr * nr);
        }
        return ws;
    }

    /** This thread's buffers, with room for at least {@code count} row offsets. */
    final Workspace<A> workspaceWithRows(int count) {
        Workspace<A> ws = workspace(0, 0);
        if (ws.rowOffsets == null || ws.rowOffsets.length < count) {
            ws.rowOffsets = new int[count];
        }
        return ws;
    }
}

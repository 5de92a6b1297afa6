package org.kfac4j.linalg.gemm;

import org.kfac4j.linalg.GemmBlocking;
import org.kfac4j.linalg.kernel.MicroKernelF32;
import org.kfac4j.linalg.kernel.MicroKernelF64;
import org.kfac4j.linalg.parallel.ThreadTeam;

/**
 * Unchecked GEMM and SYRK on row-major arrays, split over a thread team. The public facade
 * ({@code org.kfac4j.linalg.Linalg}) validates arguments before calling in here.
 *
 * @param <A> {@code float[]} or {@code double[]}
 */
public final class GemmEngine<A> {
    private final Precision<A> prec;
    private final BlockedGemm<A> blocked;
    private final ImplicitCorrelation<A> correlation;
    private final ThreadTeam team;
    private final long minParallelFlops;

    private GemmEngine(Precision<A> prec, GemmBlocking blocking, ThreadTeam team, long minParallelFlops) {
        this.prec = prec;
        this.blocked = new BlockedGemm<>(prec, blocking);
        this.correlation = new ImplicitCorrelation<>(prec, blocking);
        this.team = team;
        this.minParallelFlops = minParallelFlops;
    }

    public static GemmEngine<float[]> f32(MicroKernelF32 kernel, GemmBlocking blocking, ThreadTeam team,
                                          long minParallelFlops) {
        return new GemmEngine<>(new F32Precision(kernel), blocking, team, minParallelFlops);
    }

    public static GemmEngine<double[]> f64(MicroKernelF64 kernel, GemmBlocking blocking, ThreadTeam team,
                                           long minParallelFlops) {
        return new GemmEngine<>(new F64Precision(kernel), blocking, team, minParallelFlops);
    }

    /** C ← α·op(A)·op(B) + β·C with op(A) m×k, op(B) k×n, all row-major. */
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     A a, int aOff, int lda, A b, int bOff, int ldb, double beta, A c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            prec.scale(c, cOff, ldc, m, n, beta);
            return;
        }
        int parts = parts(2L * m * n * k);
        if (parts == 1) {
            blocked.compute(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                    0, m, 0, n, Triangle.FULL);
            return;
        }
        // Split the longer side of C; each thread packs its own share of the other operand.
        boolean byColumns = n >= m;
        int[] bounds = byColumns ? Partition.even(n, blocked.nr(), parts) : Partition.even(m, blocked.mr(), parts);
        team.run(bounds.length - 1, t -> {
            if (byColumns) {
                blocked.compute(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                        0, m, bounds[t], bounds[t + 1], Triangle.FULL);
            } else {
                blocked.compute(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                        bounds[t], bounds[t + 1], 0, n, Triangle.FULL);
            }
        });
    }

    /**
     * The triangular product ("gemmt"): the {@code triangle} (diagonal included) of the n×n matrix
     * C ← α·op(A)·op(B) + β·C, op(A) n×k, op(B) k×n; the other triangle is neither read nor written. Used for
     * symmetric updates such as C − V·Wᵀ − W·Vᵀ, whose result is symmetric but whose two products are not, and
     * for the trailing update of a Cholesky factorisation.
     */
    public void gemmt(Triangle triangle, boolean transA, boolean transB, int n, int k, double alpha,
                      A a, int aOff, int lda, A b, int bOff, int ldb, double beta, A c, int cOff, int ldc) {
        if (triangle == Triangle.FULL) {
            gemm(transA, transB, n, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (n == 0) {
            return;
        }
        boolean lower = triangle == Triangle.LOWER;
        if (k == 0 || alpha == 0) {
            for (int i = 0; i < n; i++) {
                int from = lower ? 0 : i;
                prec.scale(c, cOff + i * ldc + from, ldc, 1, lower ? i + 1 : n - i, beta);
            }
            return;
        }
        int parts = parts((long) n * n * k);
        if (parts == 1) {
            blocked.compute(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                    0, n, 0, n, triangle);
            return;
        }
        // Equal areas of the triangle per thread: the lower one split by columns, the upper one by rows.
        int[] bounds = Partition.shrinkingLines(n, lower ? blocked.nr() : blocked.mr(), parts);
        team.run(bounds.length - 1, t -> {
            if (lower) {
                blocked.compute(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                        0, n, bounds[t], bounds[t + 1], triangle);
            } else {
                blocked.compute(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                        bounds[t], bounds[t + 1], 0, n, triangle);
            }
        });
    }

    /**
     * Symmetric rank-k update C ← α·AᵀA + β·C ({@code transposed}, A k×n) or C ← α·A·Aᵀ + β·C (A n×k).
     * Computes the lower triangle and mirrors it, so on return C is fully symmetric; only the lower triangle
     * of C is read.
     */
    public void syrk(boolean transposed, int n, int k, double alpha, A a, int aOff, int lda,
                     double beta, A c, int cOff, int ldc) {
        // AᵀA = op(A)·op(B) with op(A) = Aᵀ, op(B) = A; A·Aᵀ with op(A) = A, op(B) = Aᵀ.
        gemmt(Triangle.LOWER, transposed, !transposed, n, k, alpha, a, aOff, lda, a, aOff, lda, beta, c, cOff, ldc);
        prec.mirrorLower(c, cOff, ldc, n);
    }

    /**
     * Y[img, h, w, o] += Σ_{i, j, c} X[img, s·h + i, s·w + j, c]·F[o, (i·kw + j)·cin + c]: the "valid"
     * cross-correlation with stride s of {@code images} channels-last images height × width × cin with cout filters
     * kh × kw × cin (tap-major rows), into images ((height − kh) / s + 1) × ((width − kw) / s + 1) × cout; all
     * dimensions positive, the kernel no larger than the image. An implicit-im2col GEMM ({@link ImplicitCorrelation})
     * split by output pixels.
     */
    public void correlate(int images, int height, int width, int cin, int kh, int kw, int stride, int cout,
                          A x, int xOff, A f, int fOff, A y, int yOff) {
        int pixels = images * ((height - kh) / stride + 1) * ((width - kw) / stride + 1);
        int depth = kh * kw * cin;
        // the packed filter is shared by the threads; the team's threads use only their own workspaces' other buffers
        A packed = prec.workspace(0, correlation.packedLength(depth, cout)).packedB;
        correlation.packFilter(f, fOff, depth, cout, packed);
        if (parts(2L * pixels * cout * depth) == 1) {
            correlation.compute(height, width, cin, kh, kw, stride, cout, x, xOff, packed, y, yOff, 0, pixels);
            return;
        }
        // Ranges handed out as threads become free rather than an even split, so that a core slowed by a neighbour
        // takes fewer: every task shares the one packed filter, so more tasks cost no packing (same-JVM A/B of the
        // cnn model's stride-1 forward passes on two threads against the even split: 0.99-1.06x, within the noise).
        team.forEachRange(pixels, ImplicitCorrelation.PIXELS * TASK_BLOCKS, (from, to) -> correlation.compute(
                height, width, cin, kh, kw, stride, cout, x, xOff, packed, y, yOff, from, to));
    }

    /** Pixel blocks of a correlation per task handed to a thread. */
    private static final int TASK_BLOCKS = 4;

    private int parts(long flops) {
        return flops < minParallelFlops ? 1 : team.size();
    }
}

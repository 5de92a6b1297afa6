package org.kfac4j.nn.layer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The Gram matrix Σ ã ãᵀ of a stride-1 convolution's im2col rows, from products of the image with its own shifts
 * instead of from the rows: about 3× fewer multiply-adds for a 3×3 kernel.
 *
 * <p>The block of taps t = (i, j), t' = t + δ is {@code Σ_n Σ_{q ∈ Q_t} x̃[q] x̃[q + δ]ᵀ} (C × C), x̃ the image with
 * its zero padding and Q_t the pixels tap t reads (the output grid moved by t − p, cut to the image). It depends on
 * t only through Q_t, and the Q_t are unions of a few <em>cells</em>: the image's rows and columns cut wherever some
 * tap's range starts or ends (for a 3×3 kernel with padding 1: the first row, the rows between, the last row; the
 * same for columns). So one GEMM per cell, {@code [x̃[q+δ₁] … x̃[q+δ_S]]ᵀ · x[q]} over the cell's pixels q and the
 * S = k(2k−1) − (k−1) shifts δ with t' after t (13 for k = 3), gives every block as a sum of cells: S·C² products
 * per pixel, where the rows' SYRK takes k²(k²+1)/2·C² (45·C²) per output position.
 *
 * <p>Blocks of whole images are gathered into scratch of about {@link Conv2d#BLOCK_BYTES}; each cell's sum runs over
 * the blocks in order, so the result is the same for every thread count.
 */
final class StrideOneGram {
    /**
     * Below this many channels the GEMMs are too thin to beat the rows' SYRK (3×3, padding 1, 128 images, 2 threads:
     * 0.46–0.54× its speed at 8 channels, 1.08–1.23× at 16, 2.3–2.8× at 32;
     * {@code bench/results-2026-11-29-epyc-avx512/gram-shapes.txt}).
     */
    static final int MIN_CHANNELS = 16;

    private final Im2col geometry;
    private final Tensor x;
    private final int k;
    private final int c;
    /** The shifts δ = (di, dj) with t + δ after t: di > 0, or di = 0 and dj ≥ 0. */
    private final int[][] shifts;

    private StrideOneGram(Im2col geometry, Tensor x) {
        this.geometry = geometry;
        this.x = x;
        this.k = geometry.kernelH();
        this.c = geometry.channels();
        List<int[]> list = new ArrayList<>();
        for (int di = 0; di < k; di++) {
            for (int dj = di == 0 ? 0 : 1 - k; dj < k; dj++) {
                list.add(new int[] {di, dj});
            }
        }
        shifts = list.toArray(new int[0][]);
    }

    /** Whether this path applies: stride 1, a square kernel wider than 1, at least {@link #MIN_CHANNELS} channels. */
    static boolean applies(Im2col geometry) {
        return geometry.stride() == 1 && geometry.kernelH() == geometry.kernelW() && geometry.kernelH() > 1
                && geometry.channels() >= MIN_CHANNELS;
    }

    /**
     * {@code C ← β·C + α·Σ ã ãᵀ} over the channel-major rows (without a bias column: the caller adds it), C of order
     * C_in·k² with {@code ldc}; β = 0 does not read C.
     */
    static void addGram(Linalg linalg, Im2col geometry, Tensor x, double alpha, double beta, Tensor out, int ldc) {
        new StrideOneGram(geometry, x).add(linalg, alpha, beta, out, ldc);
    }

    private void add(Linalg linalg, double alpha, double beta, Tensor out, int ldc) {
        int[][] rowRanges = tapRanges(geometry.height(), geometry.outHeight());
        int[][] colRanges = tapRanges(geometry.width(), geometry.outWidth());
        int[] rowCuts = cuts(rowRanges);
        int[] colCuts = cuts(colRanges);
        List<int[][]> cells = new ArrayList<>();
        for (int rc = 0; rc + 1 < rowCuts.length; rc++) {
            for (int cc = 0; cc + 1 < colCuts.length; cc++) {
                int[] rows = {rowCuts[rc], rowCuts[rc + 1]};
                int[] cols = {colCuts[cc], colCuts[cc + 1]};
                if (coveredByAny(rows, rowRanges) && coveredByAny(cols, colRanges)) { // else no tap reads them
                    cells.add(new int[][] {rows, cols});
                }
            }
        }
        // one scratch for every cell's blocks: the largest block of gathered pixels
        int scratchRows = cells.stream().mapToInt(cell -> {
            int pixels = pixels(cell[0], cell[1]);
            return imagesPerBlock(pixels) * pixels;
        }).max().orElse(1);
        Tensor a = x.zeros(scratchRows, c);
        Tensor b = x.zeros(scratchRows, shifts.length * c);
        Tensor m = x.zeros(shifts.length * c, c);
        // perTap[t][s]: Σ over the cells tap t reads of shift s's products, C × C, [c'][c]
        double[][][] perTap = new double[k * k][shifts.length][];
        for (int[][] cell : cells) {
            cellProducts(linalg, cell[0], cell[1], a, b, m);
            addCell(values(m), cell[0], cell[1], rowRanges, colRanges, perTap);
        }
        writeBlocks(perTap, alpha, beta, out, ldc);
    }

    /** For each kernel offset i, the image rows {@code [first, end)} it reads over the output positions. */
    private int[][] tapRanges(int size, int outSize) {
        int p = geometry.padding();
        int[][] ranges = new int[k][];
        for (int i = 0; i < k; i++) {
            int first = Math.max(0, i - p);
            int end = Math.min(size, i - p + outSize);
            ranges[i] = new int[] {first, Math.max(first, end)};
        }
        return ranges;
    }

    /** The sorted distinct ends of the ranges: consecutive pairs are the cells along this axis. */
    private static int[] cuts(int[][] ranges) {
        return Arrays.stream(ranges).flatMapToInt(Arrays::stream).sorted().distinct().toArray();
    }

    private static boolean coveredByAny(int[] cell, int[][] ranges) {
        for (int[] r : ranges) {
            if (covers(r, cell)) {
                return true;
            }
        }
        return false;
    }

    private static boolean covers(int[] range, int[] cell) {
        return range[0] <= cell[0] && cell[1] <= range[1];
    }

    private static int pixels(int[] rows, int[] cols) {
        return (rows[1] - rows[0]) * (cols[1] - cols[0]);
    }

    /** Images per block of a cell of {@code pixels}: their pixels and shifts take about {@link Conv2d#BLOCK_BYTES}. */
    private int imagesPerBlock(int pixels) {
        long perImage = (long) pixels * (shifts.length + 1) * c * x.dtype().bytes();
        return (int) Math.max(1, Math.min(x.dim(0), Conv2d.BLOCK_BYTES / perImage));
    }

    /**
     * {@code m (S·C × C) ← Σ_n Σ_{q ∈ cell} [x̃[q+δ₁]; …; x̃[q+δ_S]] x[q]ᵀ}: m[s·C + c', c] is the (c, c') entry of
     * shift s's product. Blocks of images are gathered (pixels as rows) into the scratch a and b and multiplied with
     * one GEMM each.
     */
    private void cellProducts(Linalg linalg, int[] rows, int[] cols, Tensor a, Tensor b, Tensor m) {
        int pixels = pixels(rows, cols);
        int n = x.dim(0);
        int width = shifts.length * c;
        int images = imagesPerBlock(pixels);
        for (int first = 0; first < n; first += images) {
            int count = Math.min(images, n - first);
            int from = first;
            linalg.parallelFor(count, 1, (lo, hi) -> gather(from, lo, hi, rows, cols, a, b));
            int kk = count * pixels;
            if (x.dtype() == DType.F32) {
                linalg.sgemm(Transpose.T, Transpose.N, width, c, kk, 1, b.f32(), 0, width, a.f32(), 0, c,
                        first == 0 ? 0 : 1, m.f32(), 0, c);
            } else {
                linalg.dgemm(Transpose.T, Transpose.N, width, c, kk, 1, b.f64(), 0, width, a.f64(), 0, c,
                        first == 0 ? 0 : 1, m.f64(), 0, c);
            }
        }
    }

    /** Rows of images {@code first + lo .. first + hi − 1}: the cell's pixels into a, their shifts into b. */
    private void gather(int first, int lo, int hi, int[] rows, int[] cols, Tensor a, Tensor b) {
        int h = geometry.height();
        int w = geometry.width();
        int width = shifts.length * c;
        Object src = Im2col.storage(x);
        Object dstA = Im2col.storage(a);
        Object dstB = Im2col.storage(b);
        int q = lo * (rows[1] - rows[0]) * (cols[1] - cols[0]);
        for (int img = first + lo; img < first + hi; img++) {
            for (int u = rows[0]; u < rows[1]; u++) {
                for (int v = cols[0]; v < cols[1]; v++, q++) {
                    System.arraycopy(src, ((img * h + u) * w + v) * c, dstA, q * c, c);
                    for (int s = 0; s < shifts.length; s++) {
                        int uu = u + shifts[s][0];
                        int vv = v + shifts[s][1];
                        int at = q * width + s * c;
                        if (uu < h && vv >= 0 && vv < w) {
                            System.arraycopy(src, ((img * h + uu) * w + vv) * c, dstB, at, c);
                        } else {
                            Im2col.zero(b, at, c); // the partner is in the padding
                        }
                    }
                }
            }
        }
    }

    /** Adds a cell's products ({@code [s][c'][c]}) to the sums of every tap t that reads the cell. */
    private void addCell(double[] cell, int[] rows, int[] cols, int[][] rowRanges, int[][] colRanges,
                         double[][][] perTap) {
        int cc = c * c;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (!covers(rowRanges[i], rows) || !covers(colRanges[j], cols)) {
                    continue;
                }
                for (int s = 0; s < shifts.length; s++) {
                    if (partner(i * k + j, s) < 0) {
                        continue;
                    }
                    double[] sum = perTap[i * k + j][s];
                    if (sum == null) {
                        sum = perTap[i * k + j][s] = new double[cc];
                    }
                    for (int q = 0; q < cc; q++) {
                        sum[q] += cell[s * cc + q];
                    }
                }
            }
        }
    }

    /** The tap t + δ_s, or −1 where it is outside the kernel. */
    private int partner(int t, int s) {
        int i2 = t / k + shifts[s][0];
        int j2 = t % k + shifts[s][1];
        return i2 < k && j2 >= 0 && j2 < k ? i2 * k + j2 : -1;
    }

    /**
     * {@code out ← β·out + α·sums}: block (t, t + δ) in channel-major order (entry (c·k² + t, c'·k² + t')) and its
     * mirror (t + δ, t), the two from the same value so that the result is exactly symmetric. Every pair of taps is
     * one (t, s), so every entry is written once.
     */
    private void writeBlocks(double[][][] perTap, double alpha, double beta, Tensor out, int ldc) {
        int taps = k * k;
        for (int t = 0; t < taps; t++) {
            for (int s = 0; s < shifts.length; s++) {
                int t2 = partner(t, s);
                if (t2 < 0) {
                    continue;
                }
                double[] sum = perTap[t][s];
                for (int ch = 0; ch < c; ch++) {
                    for (int ch2 = t2 == t ? ch : 0; ch2 < c; ch2++) {
                        double v = alpha * (sum == null ? 0 : sum[ch2 * c + ch]);
                        int at = (ch * taps + t) * ldc + ch2 * taps + t2;
                        int mirror = (ch2 * taps + t2) * ldc + ch * taps + t;
                        out.set(at, beta == 0 ? v : beta * out.get(at) + v);
                        if (mirror != at) {
                            out.set(mirror, beta == 0 ? v : beta * out.get(mirror) + v);
                        }
                    }
                }
            }
        }
    }

    private static double[] values(Tensor t) {
        double[] v = new double[t.size()];
        for (int q = 0; q < v.length; q++) {
            v[q] = t.get(q);
        }
        return v;
    }
}

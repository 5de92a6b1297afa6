package org.kfac4j.nn.layer;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.capture.FactorRows;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A convolution call's input rows for K-FAC — the channel-major im2col rows ã of every example and output position,
 * with a last column of ones for a bias — held as the input image {@code x} (channels-last, by reference) and formed
 * only as far as each use needs:
 * <ul>
 *   <li>the Gram matrix Σ ã ãᵀ (K-FAC-expand): at stride 1 from the image's products with its own shifts
 *       ({@link StrideOneGram}), otherwise by SYRK over blocks of whole images that stay in the last-level cache,
 *       gathered tap-major and permuted to channel-major once, on the D × D result;</li>
 *   <li>the per-example sums Σ_r ã (K-FAC-reduce) from the image directly: the sum of tap t's values over the
 *       positions is a sum of the image over a strided window;</li>
 *   <li>the rows themselves, {@code N × R × D}, only when asked for (online inverses, tests).</li>
 * </ul>
 */
final class ConvolutionRows implements FactorRows {
    private final Im2col geometry;
    private final Tensor x;
    private final boolean bias;
    private final Linalg linalg;
    private Tensor formed;

    /** The rows of convolving {@code x} with {@code geometry}; {@code linalg} forms {@link #tensor()}. */
    ConvolutionRows(Im2col geometry, Tensor x, boolean bias, Linalg linalg) {
        this.geometry = geometry;
        this.x = x;
        this.bias = bias;
        this.linalg = linalg;
    }

    private int examples() {
        return x.dim(0);
    }

    private int positions() {
        return geometry.outHeight() * geometry.outWidth();
    }

    @Override
    public DType dtype() {
        return x.dtype();
    }

    @Override
    public int count() {
        return examples() * positions();
    }

    @Override
    public int width() {
        return geometry.patch() + (bias ? 1 : 0);
    }

    @Override
    public int[] segments() {
        return FactorRows.uniformSegments(examples(), positions());
    }

    @Override
    public Tensor source() {
        return x;
    }

    @Override
    public Tensor tensor() {
        if (formed == null) {
            int n = examples();
            int r = positions();
            int ld = width();
            Tensor rows = x.zeros(n, r, ld);
            Block block = new Block(n);
            for (int first = 0; first < n; first += block.images) {
                int count = block.gather(linalg, first);
                if (geometry.ordersCoincide()) {
                    System.arraycopy(Im2col.storage(block.cols), 0, Im2col.storage(rows), first * r * ld,
                            count * r * ld);
                } else {
                    geometry.toChannelMajor(linalg, block.cols, ld, count * r, rows, first * r * ld);
                }
            }
            formed = rows;
        }
        return formed;
    }

    @Override
    public void addExampleSums(Linalg linalg, Tensor out, int rowOffset) {
        if (out.dim(-1) != width() || out.dtype() != dtype()) {
            throw new IllegalArgumentException("sums of " + width() + "-wide " + dtype() + " rows into " + out);
        }
        linalg.parallelFor(examples(), 1, (from, to) -> {
            Tensor window = x.zeros(geometry.channels());
            for (int n = from; n < to; n++) {
                addExampleSum(linalg, n, window, out, (rowOffset + n) * width());
            }
        });
    }

    /**
     * Row {@code at} of {@code out} += example n's rows summed over the positions. Tap t = (i, j) of output position
     * (h, w) reads image pixel (h·s + i − p, w·s + j − p), so its sum over the positions is the sum of the image over
     * the in-image part of a window of rows and columns with stride s: one strided row sum per image row.
     */
    private void addExampleSum(Linalg linalg, int n, Tensor window, Tensor out, int at) {
        int c = geometry.channels();
        int taps = geometry.kernelH() * geometry.kernelW();
        int s = geometry.stride();
        for (int i = 0; i < geometry.kernelH(); i++) {
            int[] h = inImage(i, geometry.height(), geometry.outHeight());
            for (int j = 0; j < geometry.kernelW(); j++) {
                int[] w = inImage(j, geometry.width(), geometry.outWidth());
                Im2col.zero(window, 0, window.size());
                for (int oh = h[0]; oh < h[1] && w[0] < w[1]; oh++) {
                    int pixel = ((n * geometry.height() + oh * s + i - geometry.padding()) * geometry.width()
                            + w[0] * s + j - geometry.padding()) * c;
                    if (x.dtype() == DType.F32) {
                        linalg.saddRows(w[1] - w[0], c, x.f32(), pixel, s * c, window.f32(), 0);
                    } else {
                        linalg.daddRows(w[1] - w[0], c, x.f64(), pixel, s * c, window.f64(), 0);
                    }
                }
                int tap = i * geometry.kernelW() + j;
                for (int ch = 0; ch < c; ch++) {
                    out.set(at + ch * taps + tap, out.get(at + ch * taps + tap) + window.get(ch));
                }
            }
        }
        if (bias) {
            out.set(at + geometry.patch(), out.get(at + geometry.patch()) + positions());
        }
    }

    /**
     * The output positions {@code [first, end)} along one axis at which kernel offset {@code k} reads inside the
     * image: {@code 0 ≤ o·s + k − p < size}, {@code 0 ≤ o < outSize}.
     */
    private int[] inImage(int k, int size, int outSize) {
        int s = geometry.stride();
        int p = geometry.padding();
        int first = Math.max(0, Math.ceilDiv(p - k, s));
        int end = Math.min(outSize, Math.floorDiv(size - 1 + p - k, s) + 1);
        return new int[] {first, Math.max(first, end)};
    }

    @Override
    public void addGram(Linalg linalg, double alpha, double beta, Tensor c) {
        int ld = width();
        if (c.rank() != 2 || c.dim(0) != ld || c.dim(1) != ld || c.dtype() != dtype()) {
            throw new IllegalArgumentException("the Gram matrix of " + ld + "-wide " + dtype() + " rows into " + c);
        }
        if (StrideOneGram.applies(geometry)) {
            StrideOneGram.addGram(linalg, geometry, x, alpha, beta, c, ld);
            if (bias) {
                addBiasBorder(linalg, alpha, beta, c);
            }
            return;
        }
        // blocks are summed tap-major, the order im2col gathers in; permuting the D × D sum to channel-major costs
        // D² moves where permuting the rows would cost N·R·D
        boolean permute = !geometry.ordersCoincide();
        Tensor sum = permute ? c.zeros(ld, ld) : c;
        Block block = new Block(examples());
        for (int first = 0; first < examples(); first += block.images) {
            int rows = block.gather(linalg, first) * positions();
            double blockBeta = first > 0 ? 1 : permute ? 0 : beta;
            if (c.dtype() == DType.F32) {
                linalg.ssyrk(Transpose.T, ld, rows, (float) alpha, block.cols.f32(), 0, ld, (float) blockBeta,
                        sum.f32(), 0, ld);
            } else {
                linalg.dsyrk(Transpose.T, ld, rows, alpha, block.cols.f64(), 0, ld, blockBeta, sum.f64(), 0, ld);
            }
        }
        if (permute) {
            addChannelMajor(sum, beta, c);
        }
    }

    /** The bias's row and column of {@code β·C + α·Σ ã ãᵀ}: α times the column sums of the rows (N·R for 1·1). */
    private void addBiasBorder(Linalg linalg, double alpha, double beta, Tensor c) {
        int ld = width();
        Tensor sums = x.zeros(examples(), ld);
        addExampleSums(linalg, sums, 0);
        for (int q = 0; q < ld; q++) {
            double total = 0;
            for (int n = 0; n < examples(); n++) {
                total += sums.get(n * ld + q);
            }
            int last = (ld - 1) * ld;
            c.set(last + q, beta == 0 ? alpha * total : beta * c.get(last + q) + alpha * total);
            if (q < ld - 1) {
                c.set(q * ld + ld - 1, c.get(last + q));
            }
        }
    }

    /** {@code c ← β·c + sum} with sum's rows and columns taken from tap-major to channel-major order. */
    private void addChannelMajor(Tensor sum, double beta, Tensor c) {
        int ld = width();
        int[] order = new int[ld]; // order[tap-major index] = channel-major index; a bias's column stays last
        int taps = geometry.kernelH() * geometry.kernelW();
        for (int t = 0; t < taps; t++) {
            for (int ch = 0; ch < geometry.channels(); ch++) {
                order[t * geometry.channels() + ch] = ch * taps + t;
            }
        }
        for (int q = geometry.patch(); q < ld; q++) {
            order[q] = q;
        }
        for (int a = 0; a < ld; a++) {
            for (int b = 0; b < ld; b++) {
                int at = order[a] * ld + order[b];
                double v = sum.get(a * ld + b);
                c.set(at, beta == 0 ? v : beta * c.get(at) + v);
            }
        }
    }

    /** Scratch for the tap-major rows of a block of whole images of about {@link Conv2d#BLOCK_BYTES}. */
    private final class Block {
        final int images;
        final Tensor cols;

        Block(int n) {
            images = Conv2d.imagesPerBlock(n, positions(), width(), dtype());
            cols = x.zeros(images * positions(), width());
            if (bias) {
                for (int row = 0; row < cols.rows(); row++) {
                    cols.set(row * width() + geometry.patch(), 1); // gather leaves the ones column as it is
                }
            }
        }

        /** Gathers the rows of images {@code first ..} into {@code cols}; returns how many images. */
        int gather(Linalg linalg, int first) {
            int count = Math.min(images, examples() - first);
            geometry.gather(linalg, x, first, count, cols, 0, width());
            return count;
        }
    }
}

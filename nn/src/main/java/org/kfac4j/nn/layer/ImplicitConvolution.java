package org.kfac4j.nn.layer;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.MatMul;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The passes of a stride-1 convolution that need no column matrix, each a "valid" cross-correlation of a zero-padded
 * channels-last tensor ({@link Linalg#scorrelate2d}: an implicit-im2col GEMM reading the image in place). The explicit
 * path writes the im2col rows (kh·kw times the input) and reads them back, and its input gradient writes g·W's rows and
 * scatter-adds them into the image; here neither happens.
 *
 * <ul>
 *   <li>forward: y = x_p ⋆ W, x padded by p on each side, W's rows tap-major (kernel row, kernel column, channel);
 *   <li>input gradient, for p ≤ k − 1: dx = g_p ⋆ W̃, g padded by k − 1 − p, W̃[c, (i·k + j)·C_out + o] =
 *       W[o, c, k−1−i, k−1−j] (the kernel turned by 180° with its channels swapped): ∂L/∂x[h, w] =
 *       Σ_{i, j} g[h + p − i, w + p − j]·W[i, j].
 * </ul>
 *
 * Strided convolutions keep the explicit passes: their im2col matrix is a quarter the size at stride 2, and the
 * correlation at stride 2 (which {@link Linalg#scorrelate2d} computes) ran the cnn model's two downsampling
 * convolutions 0.89× and 0.91× as fast as explicit im2col (same-JVM A/B, two threads); their input gradient would be
 * a correlation of a dilated g, three quarters zeros.
 *
 * @param channels C_in
 * @param out      C_out
 * @param kernel   k (square)
 * @param padding  p
 */
record ImplicitConvolution(int channels, int out, int kernel, int padding) {
    /**
     * Kernel-row runs (k·C_in values) shorter than this go through explicit im2col: a run is the depth of one register
     * tile's inner loop, and a first layer's 3·1 values would spend more on the loop's setup and the tile's loads and
     * stores of C than on FMAs.
     */
    static final int MIN_RUN = 24;

    /** Whether the forward pass of a convolution with this geometry is computed here. */
    static boolean forwardApplies(int channels, int kernel, int stride) {
        return stride == 1 && kernel * channels >= MIN_RUN;
    }

    /** Whether its input gradient is computed here too. */
    boolean inputGradientApplies() {
        return padding <= kernel - 1;
    }

    /** y (channels-last, zeros or the bias) += the convolution of x with the tap-major weight {@code w}. */
    void forward(Linalg linalg, Tensor x, Tensor w, Tensor y) {
        MatMul.correlate2d(linalg, padded(linalg, x, padding), kernel, kernel, 1, w, y);
    }

    /**
     * ∂L/∂x from the output gradient g ({@code [N, H_out, W_out, C_out]}) and the tap-major weight w, for a
     * convolution whose {@link #inputGradientApplies()}.
     */
    Tensor inputGradient(Linalg linalg, Tensor g, Tensor w, Tensor x) {
        Tensor dx = x.zerosLike();
        MatMul.correlate2d(linalg, padded(linalg, g, kernel - 1 - padding), kernel, kernel, 1, turned(w), dx);
        return dx;
    }

    /** W̃: rows c of (i·k + j)·C_out + o, from the tap-major W (rows o of (i·k + j)·C_in + c) turned by 180°. */
    private Tensor turned(Tensor w) {
        int taps = kernel * kernel;
        Tensor t = w.zeros(channels, taps * out);
        for (int o = 0; o < out; o++) {
            for (int tap = 0; tap < taps; tap++) {
                int from = o * taps * channels + (taps - 1 - tap) * channels;
                for (int c = 0; c < channels; c++) {
                    t.set(c * taps * out + tap * out + o, w.get(from + c));
                }
            }
        }
        return t;
    }

    /** {@code [N, H, W, C]} with {@code pad} zero rows and columns on every side (the tensor itself when 0). */
    private static Tensor padded(Linalg linalg, Tensor x, int pad) {
        if (pad == 0) {
            return x;
        }
        int n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
        int wp = w + 2 * pad;
        Tensor p = x.zeros(n, h + 2 * pad, wp, c);
        Object from = x.dtype() == DType.F32 ? x.f32() : x.f64();
        Object to = x.dtype() == DType.F32 ? p.f32() : p.f64();
        linalg.parallelFor(n, 1, (first, end) -> {
            for (int img = first; img < end; img++) {
                for (int row = 0; row < h; row++) {
                    int dst = ((img * (h + 2 * pad) + row + pad) * wp + pad) * c;
                    System.arraycopy(from, (img * h + row) * w * c, to, dst, w * c);
                }
            }
        });
        return p;
    }
}

package org.kfac4j.nn.layer;

import java.util.Arrays;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The geometry of a 2-D convolution on channels-last images and its two data movements: im2col (gather each
 * output position's receptive field into a row) and its adjoint col2im (scatter-add rows back into an image).
 *
 * <p>Rows are built <em>tap-major</em>: the value of kernel tap t = (i, j) and channel c at t·C_in + c. On a
 * channels-last image the taps of one kernel row are then one contiguous span of the image, so a row is a few
 * array copies instead of C_in·kh·kw scalar moves. PyTorch's weight (and so K-FAC's input factor) is
 * <em>channel-major</em>, c·kh·kw + t; {@link #toTapMajor}, {@link #addTransposedToChannelMajor} and
 * {@link #toChannelMajor} convert, which costs little on the weight (C_out rows) and is needed on the input only
 * when K-FAC asks for the rows themselves ({@link ConvolutionRows} permutes its Gram matrix instead).
 */
record Im2col(int height, int width, int channels, int kernelH, int kernelW, int stride, int padding) {
    int outHeight() {
        return (height + 2 * padding - kernelH) / stride + 1;
    }

    int outWidth() {
        return (width + 2 * padding - kernelW) / stride + 1;
    }

    /** Values per row: C_in·kh·kw. */
    int patch() {
        return channels * kernelH * kernelW;
    }

    /** Whether tap-major and channel-major rows are the same (one channel, or a 1×1 kernel). */
    boolean ordersCoincide() {
        return channels == 1 || kernelH * kernelW == 1;
    }

    /**
     * Writes the tap-major rows of images {@code first .. first + count − 1} of {@code x} into {@code cols} from
     * offset {@code off} (row stride {@code ld} ≥ patch); positions outside the image read as zero. Columns from
     * patch() to ld are left as they are.
     */
    void gather(Linalg linalg, Tensor x, int first, int count, Tensor cols, int off, int ld) {
        linalg.parallelFor(count, 1,
                (from, to) -> gatherImages(linalg, x, first, first + from, first + to, cols, off, ld));
    }

    /**
     * The adjoint of {@link #gather}: adds the rows of images {@code first .. first + count − 1}, held in
     * {@code cols} from offset {@code off}, back into those images of {@code dx}.
     */
    void scatterAdd(Linalg linalg, Tensor cols, int off, int ld, int first, int count, Tensor dx) {
        // images own disjoint parts of dx, so they can be scattered in parallel without races
        linalg.parallelFor(count, 1, (from, to) -> scatterImages(dx, first, first + from, first + to, cols, off, ld));
    }

    /**
     * Images {@code from .. end − 1} of {@code x} gathered into {@code cols} (image {@code base}'s first row at
     * {@code off}), one output row and kernel row at a time. The output positions whose kernel row lies wholly in
     * the image read one span of kw·C_in values each, the spans of neighbours a step of stride·C_in apart along the
     * image row: one copy of overlapping rows ({@link Linalg#scopyRows}), without the edge and padding arithmetic of
     * a span at a time (which made a 32-channel 3×3 convolution's backward pass 1.09× slower on one thread). The
     * positions at the image's left and right edges are copied span by span with their padding zeroed, and a kernel
     * row above or below the image is all padding.
     */
    private void gatherImages(Linalg linalg, Tensor x, int base, int from, int end, Tensor cols, int off, int ld) {
        int ho = outHeight();
        int wo = outWidth();
        int span = kernelW * channels;
        // output columns whose kernel row is inside the image: ow·stride − padding ≥ 0 and ≤ width − kernelW
        int insideFrom = Math.min(wo, (padding + stride - 1) / stride);
        int insideEnd = width + padding < kernelW ? insideFrom
                : Math.max(insideFrom, Math.min(wo, (width + padding - kernelW) / stride + 1));
        for (int img = from; img < end; img++) {
            for (int oh = 0; oh < ho; oh++) {
                int outRow = off + ((img - base) * ho + oh) * wo * ld; // output column ow's row at outRow + ow·ld
                for (int i = 0; i < kernelH; i++) {
                    int ih = oh * stride - padding + i;
                    int at = outRow + i * span;
                    if (ih < 0 || ih >= height) {
                        for (int ow = 0; ow < wo; ow++) {
                            zero(cols, at + ow * ld, span);
                        }
                        continue;
                    }
                    int imageRow = (img * height + ih) * width;
                    for (int ow = 0; ow < insideFrom; ow++) {
                        edgeSpan(x, imageRow, ow, cols, at + ow * ld);
                    }
                    if (insideFrom < insideEnd) {
                        copyRows(linalg, x, (imageRow + insideFrom * stride - padding) * channels, stride * channels,
                                cols, at + insideFrom * ld, ld, insideEnd - insideFrom, span);
                    }
                    for (int ow = insideEnd; ow < wo; ow++) {
                        edgeSpan(x, imageRow, ow, cols, at + ow * ld);
                    }
                }
            }
        }
    }

    /** The span of output column {@code ow} over image row {@code imageRow} (its first pixel), partly padding. */
    private void edgeSpan(Tensor x, int imageRow, int ow, Tensor cols, int at) {
        int span = kernelW * channels;
        int iw0 = ow * stride - padding; // image column of tap j = 0
        int jFirst = Math.max(0, -iw0);
        int jEnd = Math.min(kernelW, width - iw0);
        if (jFirst >= jEnd) { // padding wider than the kernel's reach
            zero(cols, at, span);
            return;
        }
        int lead = jFirst * channels;
        int length = (jEnd - jFirst) * channels;
        zero(cols, at, lead);
        System.arraycopy(storage(x), (imageRow + iw0 + jFirst) * channels, storage(cols), at + lead, length);
        zero(cols, at + lead + length, span - lead - length);
    }

    private static void copyRows(Linalg linalg, Tensor x, int xOff, int ldx, Tensor y, int yOff, int ldy, int rows,
                                 int n) {
        if (x.dtype() == DType.F32) {
            linalg.scopyRows(rows, n, x.f32(), xOff, ldx, y.f32(), yOff, ldy);
        } else {
            linalg.dcopyRows(rows, n, x.f64(), xOff, ldx, y.f64(), yOff, ldy);
        }
    }

    /**
     * The adjoint of {@link #gatherImages}: the rows of images {@code from .. end − 1}, held in {@code cols}
     * (image {@code base}'s first row at {@code off}), added back into those images of {@code dx}. One kernel row of
     * taps at a time: its in-image part is one span of (last − first tap)·C_in values in both arrays, the rest
     * padding.
     */
    private void scatterImages(Tensor dx, int base, int from, int end, Tensor cols, int off, int ld) {
        int ho = outHeight();
        int wo = outWidth();
        int span = kernelW * channels;
        for (int img = from; img < end; img++) {
            for (int oh = 0; oh < ho; oh++) {
                for (int ow = 0; ow < wo; ow++) {
                    int row = off + (((img - base) * ho + oh) * wo + ow) * ld;
                    int iw0 = ow * stride - padding; // image column of tap j = 0
                    int jFirst = Math.max(0, -iw0);
                    int length = (Math.min(kernelW, width - iw0) - jFirst) * channels; // ≤ 0: all padding
                    for (int i = 0; i < kernelH; i++) {
                        int ih = oh * stride - padding + i;
                        if (ih >= 0 && ih < height && length > 0) {
                            addSpan(cols, row + i * span + jFirst * channels, dx,
                                    ((img * height + ih) * width + iw0 + jFirst) * channels, length);
                        }
                    }
                }
            }
        }
    }

    /** The tensor's backing array, for {@link System#arraycopy}. */
    static Object storage(Tensor t) {
        return t.dtype() == DType.F32 ? t.f32() : t.f64();
    }

    /** Zeroes {@code length} values of {@code t}'s storage from {@code from}. */
    static void zero(Tensor t, int from, int length) {
        if (length == 0) {
            return;
        }
        if (t.dtype() == DType.F32) {
            Arrays.fill(t.f32(), from, from + length, 0f);
        } else {
            Arrays.fill(t.f64(), from, from + length, 0d);
        }
    }

    private static void addSpan(Tensor src, int s, Tensor dst, int d, int length) {
        if (dst.dtype() == DType.F32) {
            float[] a = src.f32();
            float[] b = dst.f32();
            for (int q = 0; q < length; q++) {
                b[d + q] += a[s + q];
            }
        } else {
            double[] a = src.f64();
            double[] b = dst.f64();
            for (int q = 0; q < length; q++) {
                b[d + q] += a[s + q];
            }
        }
    }

    /** A weight {@code C_out × C_in × kh × kw} (PyTorch's, channel-major) with its rows in tap-major order. */
    Tensor toTapMajor(Tensor weight) {
        if (ordersCoincide()) {
            return weight;
        }
        int rows = weight.dim(0);
        int taps = kernelH * kernelW;
        Tensor w = weight.zeros(rows, patch());
        for (int o = 0; o < rows; o++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < taps; t++) {
                    w.set(o * patch() + t * channels + c, weight.get(o * patch() + c * taps + t));
                }
            }
        }
        return w;
    }

    /**
     * {@code dst} (from {@code dOff}, stride {@code ld}) ← the {@code rows} tap-major rows of {@code src} (from 0,
     * the same stride) in channel-major order: the rows K-FAC reads. Each row's first patch() values are
     * permuted and the rest of the row (a bias's ones column) is copied as it is.
     */
    void toChannelMajor(Linalg linalg, Tensor src, int ld, int rows, Tensor dst, int dOff) {
        // rows split over the threads: forming a batch's rows for K-FAC permutes its whole column matrix (115 MB for a
        // 32-channel 3×3 convolution of 128 images of 28×28)
        linalg.parallelFor(rows, ROWS_PER_TASK, (from, to) -> toChannelMajor(src, ld, from, to, dst, dOff));
    }

    /** Rows per task of {@link #toChannelMajor}: a few hundred kilobytes. */
    private static final int ROWS_PER_TASK = 256;

    private void toChannelMajor(Tensor src, int ld, int rowFrom, int rowTo, Tensor dst, int dOff) {
        int taps = kernelH * kernelW;
        int patch = patch();
        Object from = storage(src);
        Object to = storage(dst);
        for (int row = rowFrom; row < rowTo; row++) {
            int s = row * ld;
            int d = dOff + row * ld;
            if (from instanceof float[] f && to instanceof float[] t) {
                for (int tap = 0; tap < taps; tap++) {
                    for (int c = 0; c < channels; c++) {
                        t[d + c * taps + tap] = f[s + tap * channels + c];
                    }
                }
            } else {
                double[] f = (double[]) from;
                double[] t = (double[]) to;
                for (int tap = 0; tap < taps; tap++) {
                    for (int c = 0; c < channels; c++) {
                        t[d + c * taps + tap] = f[s + tap * channels + c];
                    }
                }
            }
            System.arraycopy(from, s + patch, to, d + patch, ld - patch);
        }
    }

    /**
     * {@code grad} ({@code C_out × C_in·kh·kw}, PyTorch's channel-major weight layout) += the transpose of the sum of
     * {@code parts} (each {@code C_in·kh·kw × C_out}, tap-major rows), summed in their order; the channels split between
     * {@code linalg}'s threads. The same bits on any number of threads.
     */
    void addTransposedSumToChannelMajor(Linalg linalg, Tensor[] parts, Tensor grad) {
        int taps = kernelH * kernelW;
        int outs = parts[0].dim(1);
        int chunk = Math.max(1, Tensor.ELEMENTS_PER_TASK / (taps * outs * parts.length));
        linalg.parallelFor(channels, chunk, (from, to) -> {
            for (int c = from; c < to; c++) {
                for (int t = 0; t < taps; t++) {
                    int row = (t * channels + c) * outs;
                    for (int o = 0; o < outs; o++) {
                        double sum = parts[0].get(row + o);
                        for (int part = 1; part < parts.length; part++) {
                            sum += parts[part].get(row + o);
                        }
                        int at = o * patch() + c * taps + t;
                        grad.set(at, grad.get(at) + sum);
                    }
                }
            }
        });
    }
}

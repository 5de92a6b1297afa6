package org.kfac4j.nn.layer;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The geometry of a 2-D convolution on channels-last images and its two data movements: im2col (gather each
 * output position's receptive field into a row) and its adjoint col2im (scatter-add rows back into an image).
 * A row holds {@code C_in·kh·kw} values in the order of PyTorch's flattened weight (channel, kernel row, kernel
 * column), so that K-FAC's input factor and the weight matrix agree with the reference implementations. Loops run
 * kernel row, kernel column, then channel: the reads from the channels-last image are contiguous, and the strided
 * writes stay within one row (in L1).
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

    /**
     * Writes the rows of {@code n} images into {@code cols} (row stride {@code ld} ≥ patch); positions outside the
     * image read as zero. Columns from patch() to ld are left as they are.
     */
    void gather(Linalg linalg, Tensor x, int n, Tensor cols, int ld) {
        linalg.parallelFor(n, 1, (from, to) -> gather(x, from, to, cols, ld));
    }

    /** The adjoint of {@link #gather}: adds every row's values back into image {@code dx} (zeroed by the caller). */
    void scatterAdd(Linalg linalg, Tensor cols, int ld, int n, Tensor dx) {
        // images own disjoint parts of dx, so they can be scattered in parallel without races
        linalg.parallelFor(n, 1, (from, to) -> scatterAdd(cols, ld, from, to, dx));
    }

    private void gather(Tensor x, int first, int end, Tensor cols, int ld) {
        int ho = outHeight();
        int wo = outWidth();
        int kk = kernelH * kernelW;
        if (x.dtype() == DType.F32) {
            float[] src = x.f32();
            float[] dst = cols.f32();
            for (int img = first; img < end; img++) {
                for (int oh = 0; oh < ho; oh++) {
                    for (int ow = 0; ow < wo; ow++) {
                        int row = ((img * ho + oh) * wo + ow) * ld;
                        for (int i = 0; i < kernelH; i++) {
                            int ih = oh * stride - padding + i;
                            for (int j = 0; j < kernelW; j++) {
                                int iw = ow * stride - padding + j;
                                int at = row + i * kernelW + j;
                                if (ih < 0 || ih >= height || iw < 0 || iw >= width) {
                                    for (int c = 0; c < channels; c++) {
                                        dst[at + c * kk] = 0f;
                                    }
                                } else {
                                    int pixel = ((img * height + ih) * width + iw) * channels;
                                    for (int c = 0; c < channels; c++) {
                                        dst[at + c * kk] = src[pixel + c];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } else {
            double[] src = x.f64();
            double[] dst = cols.f64();
            for (int img = first; img < end; img++) {
                for (int oh = 0; oh < ho; oh++) {
                    for (int ow = 0; ow < wo; ow++) {
                        int row = ((img * ho + oh) * wo + ow) * ld;
                        for (int i = 0; i < kernelH; i++) {
                            int ih = oh * stride - padding + i;
                            for (int j = 0; j < kernelW; j++) {
                                int iw = ow * stride - padding + j;
                                int at = row + i * kernelW + j;
                                if (ih < 0 || ih >= height || iw < 0 || iw >= width) {
                                    for (int c = 0; c < channels; c++) {
                                        dst[at + c * kk] = 0d;
                                    }
                                } else {
                                    int pixel = ((img * height + ih) * width + iw) * channels;
                                    for (int c = 0; c < channels; c++) {
                                        dst[at + c * kk] = src[pixel + c];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private void scatterAdd(Tensor cols, int ld, int first, int end, Tensor dx) {
        int ho = outHeight();
        int wo = outWidth();
        int kk = kernelH * kernelW;
        if (dx.dtype() == DType.F32) {
            float[] src = cols.f32();
            float[] dst = dx.f32();
            for (int img = first; img < end; img++) {
                for (int oh = 0; oh < ho; oh++) {
                    for (int ow = 0; ow < wo; ow++) {
                        int row = ((img * ho + oh) * wo + ow) * ld;
                        for (int i = 0; i < kernelH; i++) {
                            int ih = oh * stride - padding + i;
                            if (ih < 0 || ih >= height) {
                                continue;
                            }
                            for (int j = 0; j < kernelW; j++) {
                                int iw = ow * stride - padding + j;
                                if (iw < 0 || iw >= width) {
                                    continue;
                                }
                                int at = row + i * kernelW + j;
                                int pixel = ((img * height + ih) * width + iw) * channels;
                                for (int c = 0; c < channels; c++) {
                                    dst[pixel + c] += src[at + c * kk];
                                }
                            }
                        }
                    }
                }
            }
        } else {
            double[] src = cols.f64();
            double[] dst = dx.f64();
            for (int img = first; img < end; img++) {
                for (int oh = 0; oh < ho; oh++) {
                    for (int ow = 0; ow < wo; ow++) {
                        int row = ((img * ho + oh) * wo + ow) * ld;
                        for (int i = 0; i < kernelH; i++) {
                            int ih = oh * stride - padding + i;
                            if (ih < 0 || ih >= height) {
                                continue;
                            }
                            for (int j = 0; j < kernelW; j++) {
                                int iw = ow * stride - padding + j;
                                if (iw < 0 || iw >= width) {
                                    continue;
                                }
                                int at = row + i * kernelW + j;
                                int pixel = ((img * height + ih) * width + iw) * channels;
                                for (int c = 0; c < channels; c++) {
                                    dst[pixel + c] += src[at + c * kk];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

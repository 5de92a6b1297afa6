package org.kfac4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The im2col gather against its definition and the scatter as its adjoint, on random geometries: kernels 1–4 (not
 * square), strides 1–3, padding 0–4 (also wider than the kernel's reach, where whole spans are padding), images
 * from 1×1, channels 1–5, in both precisions. The buffer the rows are gathered into starts full of NaN, as a reused
 * block of rows holds the last block's values: every value of a row's patch must be written, padding included, and
 * the columns past the patch left alone.
 */
class Im2colTest {
    private static final long SEED = 77L;

    @Test
    void gatheredRowsAreTheReceptiveFieldsAndTheScatterIsTheirAdjoint() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        Linalg linalg = Linalg.shared();
        for (int trial = 0; trial < 300; trial++) {
            DType dtype = trial % 2 == 0 ? DType.F32 : DType.F64;
            int kh = 1 + rnd.nextInt(4), kw = 1 + rnd.nextInt(4), stride = 1 + rnd.nextInt(3);
            int padding = rnd.nextInt(5), channels = 1 + rnd.nextInt(5);
            int height = Math.max(1, kh - 2 * padding) + rnd.nextInt(7);
            int width = Math.max(1, kw - 2 * padding) + rnd.nextInt(7);
            Im2col g = new Im2col(height, width, channels, kh, kw, stride, padding);
            int images = 1 + rnd.nextInt(3), first = rnd.nextInt(images), count = images - first;
            int ho = g.outHeight(), wo = g.outWidth(), ld = g.patch() + rnd.nextInt(3), off = rnd.nextInt(4);
            String what = g + " images " + first + "+" + count + ", ld " + ld + ", " + dtype + " (seed " + SEED + ")";
            Tensor x = Tensor.zeros(dtype, images, height, width, channels);
            for (int q = 0; q < x.size(); q++) {
                x.set(q, rnd.nextDouble(-1, 1));
            }
            Tensor cols = Tensor.zeros(dtype, off + count * ho * wo * ld);
            for (int q = 0; q < cols.size(); q++) {
                cols.set(q, Double.NaN);
            }
            g.gather(linalg, x, first, count, cols, off, ld);

            Tensor y = cols.zerosLike(); // random rows for the adjoint check
            double dot = 0;
            for (int img = 0; img < count; img++) {
                for (int oh = 0; oh < ho; oh++) {
                    for (int ow = 0; ow < wo; ow++) {
                        int row = off + ((img * ho + oh) * wo + ow) * ld;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                for (int c = 0; c < channels; c++) {
                                    int ih = oh * stride - padding + i, iw = ow * stride - padding + j;
                                    boolean inside = ih >= 0 && ih < height && iw >= 0 && iw < width;
                                    double want = inside
                                            ? x.get((((first + img) * height + ih) * width + iw) * channels + c) : 0;
                                    int at = row + (i * kw + j) * channels + c;
                                    assertEquals(want, cols.get(at), 0.0, what + " row " + (row - off) / ld
                                            + " tap (" + i + ", " + j + ") channel " + c);
                                    double v = rnd.nextDouble(-1, 1);
                                    y.set(at, v);
                                    dot += want * v;
                                }
                            }
                        }
                        for (int q = g.patch(); q < ld; q++) {
                            assertEquals(Double.NaN, cols.get(row + q), 0.0, what + " column " + q + " written");
                        }
                    }
                }
            }
            // ⟨gather(x), y⟩ = ⟨x, scatter(y)⟩ over the images gathered
            Tensor dx = x.zerosLike();
            g.scatterAdd(linalg, y, off, ld, first, count, dx);
            double adjoint = 0;
            for (int q = first * height * width * channels; q < x.size(); q++) {
                adjoint += x.get(q) * dx.get(q);
            }
            double tol = dtype == DType.F32 ? 1e-4 : 1e-12;
            assertEquals(dot, adjoint, tol * (1 + Math.abs(dot)), what + " adjoint");
        }
    }
}

package org.kfac4j.properties.capture;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.FactorRows;
import org.kfac4j.nn.layer.Conv2d;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * What a capturing convolution hands K-FAC, against the definition of its rows: ã_{n,(h,w)}[c·kh·kw + i·kw + j] =
 * x[n, h·s + i − p, w·s + j − p, c] (zero outside the image), and 1 in a last column with a bias. The rows formed on
 * request, the per-example sums (K-FAC-reduce) and the Gram matrix β·C + α·Σ ã ãᵀ (K-FAC-expand, formed from the
 * image block by block, at stride 1 from its shifted products) must equal those of the explicit rows for any image,
 * kernel, stride, padding (also wider than the kernel reaches) and channel count, in both precisions, with the same
 * bits on one and on two threads.
 */
class ConvolutionRowsProperties {
    private static final Linalg ONE = Linalg.create(LinalgConfig.defaults().withThreads(1));
    private static final Linalg TWO = Linalg.create(LinalgConfig.defaults().withThreads(2));

    @AfterContainer
    static void close() {
        ONE.close();
        TWO.close();
    }

    @Property(tries = 300)
    void convolutionRowsAreTheIm2colRowsOfTheDefinition(@ForAll @IntRange(min = 1, max = 3) int images,
                                                        @ForAll @IntRange(min = 1, max = 4) int kernel,
                                                        @ForAll @IntRange(min = 1, max = 3) int stride,
                                                        @ForAll @IntRange(min = 0, max = 4) int padding,
                                                        @ForAll @IntRange(min = 1, max = 9) int height,
                                                        @ForAll @IntRange(min = 1, max = 9) int width,
                                                        @ForAll @IntRange(min = 1, max = 7) int channels,
                                                        @ForAll boolean bias,
                                                        @ForAll boolean f64,
                                                        @ForAll long seed) {
        check(images, kernel, stride, padding, height, width, channels, bias, f64, seed);
    }

    /**
     * The same at stride 1 with enough channels for the Gram matrix to be formed from the image's shifted products
     * (every kernel from 2 up, padding within and beyond the kernel's reach).
     */
    @Property(tries = 100)
    void strideOneGramFromShiftedProductsIsTheRowsGram(@ForAll @IntRange(min = 1, max = 3) int images,
                                                       @ForAll @IntRange(min = 2, max = 4) int kernel,
                                                       @ForAll @IntRange(min = 0, max = 4) int padding,
                                                       @ForAll @IntRange(min = 1, max = 8) int height,
                                                       @ForAll @IntRange(min = 1, max = 8) int width,
                                                       @ForAll @IntRange(min = 16, max = 21) int channels,
                                                       @ForAll boolean bias,
                                                       @ForAll boolean f64,
                                                       @ForAll long seed) {
        check(images, kernel, 1, padding, height, width, channels, bias, f64, seed);
    }

    private static void check(int images, int kernel, int stride, int padding, int height, int width, int channels,
                              boolean bias, boolean f64, long seed) {
        if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
            return; // the kernel does not fit the padded image
        }
        DType dtype = f64 ? DType.F64 : DType.F32;
        SplittableRandom rnd = new SplittableRandom(seed);
        Conv2d conv = new Conv2d("conv", channels, 2, kernel, stride, padding, bias, dtype, rnd);
        Tensor x = random(dtype, rnd, images, height, width, channels);
        Captures captures = Captures.create();
        conv.forward(x, new Pass(TWO, true, captures));
        FactorRows rows = captures.of(conv).inputRows().get(0);

        int ho = (height + 2 * padding - kernel) / stride + 1;
        int wo = (width + 2 * padding - kernel) / stride + 1;
        int d = channels * kernel * kernel + (bias ? 1 : 0);
        double[] expected = new double[images * ho * wo * d];
        for (int n = 0; n < images; n++) {
            for (int h = 0; h < ho; h++) {
                for (int w = 0; w < wo; w++) {
                    int row = ((n * ho + h) * wo + w) * d;
                    for (int c = 0; c < channels; c++) {
                        for (int i = 0; i < kernel; i++) {
                            for (int j = 0; j < kernel; j++) {
                                int u = h * stride + i - padding;
                                int v = w * stride + j - padding;
                                boolean inside = u >= 0 && u < height && v >= 0 && v < width;
                                expected[row + (c * kernel + i) * kernel + j] =
                                        inside ? x.get(((n * height + u) * width + v) * channels + c) : 0;
                            }
                        }
                    }
                    if (bias) {
                        expected[row + d - 1] = 1;
                    }
                }
            }
        }
        if (rows.count() != images * ho * wo || rows.width() != d) {
            throw new AssertionError(rows.count() + " rows of " + rows.width() + ", expected " + images * ho * wo
                    + " of " + d);
        }
        assertSame(expected, values(rows.tensor()), "the rows formed on request");

        // per-example sums, added to rows 1 .. N of a random matrix
        Tensor sums = random(dtype, rnd, images + 2, d);
        double[] expectedSums = values(sums);
        for (int q = 0; q < images * ho * wo; q++) {
            for (int col = 0; col < d; col++) {
                expectedSums[(1 + q / (ho * wo)) * d + col] += expected[q * d + col];
            }
        }
        Tensor sumsTwo = sums.copy();
        rows.addExampleSums(ONE, sums, 1);
        rows.addExampleSums(TWO, sumsTwo, 1);
        assertClose(expectedSums, values(sums), dtype, "per-example sums");
        assertSame(values(sums), values(sumsTwo), "per-example sums on one and on two threads");

        // the Gram matrix β·C + α·XᵀX, once over C (β = 0.5) and once overwriting NaN (β = 0: C is not read)
        double alpha = 0.25 + rnd.nextDouble();
        Tensor c = random(dtype, rnd, d, d);
        symmetrise(c);
        double[] expectedGram = new double[d * d];
        double[] expectedOver = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double dot = 0;
                for (int q = 0; q < images * ho * wo; q++) {
                    dot += expected[q * d + a] * expected[q * d + b];
                }
                expectedGram[a * d + b] = alpha * dot;
                expectedOver[a * d + b] = 0.5 * c.get(a * d + b) + alpha * dot;
            }
        }
        Tensor over = c.copy();
        Tensor overTwo = c.copy();
        rows.addGram(ONE, alpha, 0.5, over);
        rows.addGram(TWO, alpha, 0.5, overTwo);
        assertClose(expectedOver, values(over), dtype, "β·C + α·XᵀX");
        assertSame(values(over), values(overTwo), "the Gram matrix on one and on two threads");
        Tensor fresh = Tensor.zeros(dtype, d, d);
        for (int q = 0; q < d * d; q++) {
            fresh.set(q, Double.NaN);
        }
        rows.addGram(TWO, alpha, 0, fresh);
        assertClose(expectedGram, values(fresh), dtype, "α·XᵀX over a C of NaN with β = 0");
    }

    private static Tensor random(DType dtype, SplittableRandom rnd, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int q = 0; q < t.size(); q++) {
            t.set(q, rnd.nextDouble(-1, 1));
        }
        return t;
    }

    private static void symmetrise(Tensor c) {
        int d = c.dim(0);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                c.set(b * d + a, c.get(a * d + b));
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

    /** Within a few units of the precision's rounding of the largest magnitude. */
    private static void assertClose(double[] expected, double[] got, DType dtype, String what) {
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tol = (dtype == DType.F64 ? 1e-12 : 1e-5) * scale;
        for (int q = 0; q < expected.length; q++) {
            if (!(Math.abs(expected[q] - got[q]) <= tol)) {
                throw new AssertionError(what + ": entry " + q + " is " + got[q] + ", the definition gives "
                        + expected[q]);
            }
        }
    }

    /** Bit for bit. */
    private static void assertSame(double[] expected, double[] got, String what) {
        for (int q = 0; q < expected.length; q++) {
            if (Double.doubleToLongBits(expected[q]) != Double.doubleToLongBits(got[q])) {
                throw new AssertionError(what + ": entry " + q + " is " + got[q] + ", expected " + expected[q]);
            }
        }
    }
}

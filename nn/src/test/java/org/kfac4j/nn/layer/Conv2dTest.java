package org.kfac4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

class Conv2dTest {
    private static final long SEED = 4242L;

    @ParameterizedTest(name = "{0}x{1}x{2} → {3}, k{4} s{5} p{6} bias={7}")
    @CsvSource({"5, 5, 2, 3, 3, 1, 1, true", "6, 7, 3, 4, 3, 2, 0, false", "4, 4, 1, 1, 1, 1, 0, true",
            "7, 5, 2, 2, 3, 2, 1, false", "3, 3, 5, 2, 3, 1, 2, true",
            // stride 1, k·C_in >= ImplicitConvolution.MIN_RUN: the implicit-im2col passes; then strided, explicit
            "6, 5, 8, 3, 3, 1, 1, true", "6, 5, 8, 3, 3, 1, 0, false", "4, 5, 9, 2, 3, 1, 2, false",
            "5, 4, 24, 3, 1, 1, 0, true", "6, 7, 6, 5, 5, 1, 2, true", "7, 6, 8, 3, 3, 2, 1, true"})
    void backwardMatchesFiniteDifferences(int h, int w, int cin, int cout, int k, int s, int p, boolean bias) {
        Conv2d conv = new Conv2d("conv", cin, cout, k, s, p, bias, DType.F64, new SplittableRandom(SEED));
        GradientCheck.check(conv, GradientCheck.random(SEED, DType.F64, 2, h, w, cin), SEED, 1e-6);
    }

    /**
     * The forward pass against the definition of PyTorch's cross-correlation, written over NCHW indices: through
     * explicit im2col (3 channels, or stride 2) and as an implicit-im2col correlation (8 channels at stride 1).
     */
    @ParameterizedTest(name = "{0} channels, stride {1}")
    @CsvSource({"3, 1", "3, 2", "8, 1", "8, 2"})
    void forwardIsTheCrossCorrelationDefinition(int cin, int s) {
        int n = 2, h = 6, w = 5, cout = 4, k = 3, p = 1;
        assertEquals(cin == 8 && s == 1, ImplicitConvolution.forwardApplies(cin, k, s));
        for (DType dtype : DType.values()) {
            Conv2d conv = new Conv2d("conv", cin, cout, k, s, p, true, dtype, new SplittableRandom(SEED));
            Tensor x = GradientCheck.random(SEED, dtype, n, h, w, cin);
            Tensor y = conv.forward(x, Pass.evaluation()).output();
            int ho = (h + 2 * p - k) / s + 1;
            int wo = (w + 2 * p - k) / s + 1;
            assertTrue(y.hasShape(n, ho, wo, cout));
            for (int e = 0; e < n; e++) {
                for (int o = 0; o < cout; o++) {
                    for (int oh = 0; oh < ho; oh++) {
                        for (int ow = 0; ow < wo; ow++) {
                            double sum = definition(conv, x, e, o, oh, ow, k, s, p);
                            assertEquals(sum, y.at(e, oh, ow, o), dtype == DType.F32 ? 1e-5 : 1e-13);
                        }
                    }
                }
            }
        }
    }

    /** Output (e, oh, ow, o) by the definition: bias plus Σ over channels and kernel taps inside the image. */
    private static double definition(Conv2d conv, Tensor x, int e, int o, int oh, int ow, int k, int s, int p) {
        Tensor wt = conv.weight().value();
        double sum = conv.bias().map(b -> b.value().get(o)).orElse(0.0);
        for (int c = 0; c < x.dim(3); c++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    int ih = oh * s - p + i;
                    int iw = ow * s - p + j;
                    if (ih >= 0 && ih < x.dim(1) && iw >= 0 && iw < x.dim(2)) {
                        sum += wt.at(o, c, i, j) * x.at(e, ih, iw, c);
                    }
                }
            }
        }
        return sum;
    }

    /**
     * Images large enough that each is an im2col block of its own (three blocks): the forward pass against the
     * definition, the backward pass against finite differences, both bitwise the same with captures on and off, and
     * the captured input the im2col matrix in PyTorch's order.
     */
    @Test
    void blockedPassesMatchTheDefinitionWithAndWithoutCaptures() {
        int n = 3, h = 40, w = 40, cin = 40, cout = 3, k = 3, s = 1, p = 1;
        assertEquals(1, Conv2d.imagesPerBlock(n, h * w, cin * k * k + 1, DType.F64), "the test must cross blocks");
        Conv2d conv = new Conv2d("conv", cin, cout, k, s, p, true, DType.F64, new SplittableRandom(SEED));
        Tensor x = GradientCheck.random(SEED, DType.F64, n, h, w, cin);
        Tensor g = GradientCheck.random(SEED + 1, DType.F64, n, h, w, cout);
        Tensor[] plain = forwardBackward(conv, x, g, Captures.NONE);
        for (int e = 0; e < n; e++) {
            for (int oh = 0; oh < h; oh++) {
                for (int ow = 0; ow < w; ow++) {
                    for (int o = 0; o < cout; o++) {
                        assertEquals(definition(conv, x, e, o, oh, ow, k, s, p), plain[0].at(e, oh, ow, o), 1e-12);
                    }
                }
            }
        }
        Captures captures = Captures.create();
        Tensor[] kept = forwardBackward(conv, x, g, captures);
        Tensor a = captures.of(conv).inputs().get(0);
        assertTrue(a.hasShape(n, h * w, cin * k * k + 1));
        for (int e = 0; e < n; e++) {
            for (int pos = 0; pos < h * w; pos++) {
                for (int c = 0; c < cin; c++) {
                    for (int t = 0; t < k * k; t++) {
                        int ih = pos / w - p + t / k;
                        int iw = pos % w - p + t % k;
                        double expected = ih >= 0 && ih < h && iw >= 0 && iw < w ? x.at(e, ih, iw, c) : 0;
                        assertEquals(expected, a.at(e, pos, c * k * k + t), 0, "captured input " + e + ", " + pos);
                    }
                }
                assertEquals(1.0, a.at(e, pos, cin * k * k), 0);
            }
        }
        for (int i = 0; i < plain.length; i++) {
            assertArrayEquals(plain[i].f64(), kept[i].f64(), "output, ∂x, ∂W, ∂b: entry " + i);
        }
        GradientCheck.check(conv, x, SEED, 1e-6, 60, Pass.training(Captures.NONE));
    }

    /**
     * A batch over several groups of the backward pass (the last one short, groups of several gathered blocks at
     * stride 1): ∂L/∂W, ∂L/∂b and ∂L/∂x against their definitions, and the same bits on one, two (the four groups as
     * parallel tasks) and three threads (too few groups to share out: one after the other, each one's products split
     * between the threads). At stride 1 the input gradient is the implicit correlation, at stride 2 the groups'
     * scatter.
     */
    @ParameterizedTest(name = "stride {0}")
    @CsvSource({"1", "2"})
    void backwardOverGroupsIsTheDefinitionOnAnyNumberOfThreads(int s) {
        int n = 53, h = 7, w = 7, cin = 8, cout = 5, k = 3, p = 1;
        int ho = (h + 2 * p - k) / s + 1;
        int wo = (w + 2 * p - k) / s + 1;
        int groupImages = Conv2d.imagesPerGroup(n, ho * wo, cin * k * k, cout, DType.F64);
        int groups = (n + groupImages - 1) / groupImages;
        assertTrue(groups == 4 && n % groupImages != 0, "four groups, the last one short");
        assertTrue(s != 1 || Conv2d.imagesPerThreadBlock(ho * wo, groupImages) < groupImages, "blocks in a group");
        Tensor x = GradientCheck.random(SEED, DType.F64, n, h, w, cin);
        Tensor g = GradientCheck.random(SEED + 1, DType.F64, n, ho, wo, cout);
        int[] threads = {1, 2, 3};
        Tensor[][] results = new Tensor[threads.length][];
        for (int t = 0; t < threads.length; t++) {
            Conv2d conv = new Conv2d("conv", cin, cout, k, s, p, true, DType.F64, new SplittableRandom(SEED));
            try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(threads[t]))) {
                Node node = conv.forward(x, new Pass(la, true, Captures.NONE));
                Tensor dx = node.backward(g, Backward.TRAIN);
                results[t] = new Tensor[] {dx, conv.weight().grad(), conv.bias().orElseThrow().grad(),
                        conv.weight().value()};
            }
        }
        for (int t = 1; t < threads.length; t++) {
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(results[0][i].f64(), results[t][i].f64(),
                        "∂x, ∂W, ∂b (" + i + ") on 1 and " + threads[t] + " threads");
            }
        }
        Tensor dx = results[0][0];
        Tensor dw = results[0][1];
        Tensor db = results[0][2];
        Tensor wt = results[0][3];
        double[] dxDefinition = new double[n * h * w * cin];
        for (int o = 0; o < cout; o++) {
            double bias = 0;
            double[][][] weight = new double[cin][k][k];
            for (int e = 0; e < n; e++) {
                for (int oh = 0; oh < ho; oh++) {
                    for (int ow = 0; ow < wo; ow++) {
                        double go = g.at(e, oh, ow, o);
                        bias += go;
                        for (int c = 0; c < cin; c++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int ih = oh * s - p + i;
                                    int iw = ow * s - p + j;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                        weight[c][i][j] += go * x.at(e, ih, iw, c);
                                        dxDefinition[((e * h + ih) * w + iw) * cin + c] += go * wt.at(o, c, i, j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            assertEquals(bias, db.get(o), 1e-10, "∂b " + o);
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        assertEquals(weight[c][i][j], dw.at(o, c, i, j), 1e-10, "∂W " + o + ", " + c + ", " + i + j);
                    }
                }
            }
        }
        assertArrayEquals(dxDefinition, dx.f64(), 1e-12, "∂x");
    }

    /**
     * The partial weight gradients of a wide layer stay within their budget (fewer, larger groups); the cnn model's
     * layers keep the groups sized by rows.
     */
    @Test
    void groupsOfWideLayersKeepThePartialsWithinTheirBudget() {
        int n = 256, r = 49, d = 512 * 9, out = 512;
        int images = Conv2d.imagesPerGroup(n, r, d, out, DType.F32);
        long groups = (n + images - 1) / images;
        assertTrue(groups * d * out * Float.BYTES <= Conv2d.PARTIALS_BYTES, groups + " groups");
        assertTrue(groups > 1, "still more than one group");
        assertEquals(16, Conv2d.imagesPerGroup(128, 49, 128 * 9, 128, DType.F32));
        assertEquals(2, Conv2d.imagesPerGroup(128, 784, 32 * 9, 32, DType.F32));
    }

    /** A batch of no images: an empty output and input gradient, and nothing added to the parameter gradients. */
    @ParameterizedTest(name = "stride {0}")
    @CsvSource({"1", "2"})
    void anEmptyBatchAddsNothing(int s) {
        Conv2d conv = new Conv2d("conv", 8, 5, 3, s, 1, true, DType.F64, new SplittableRandom(SEED));
        Tensor x = GradientCheck.random(SEED, DType.F64, 0, 7, 7, 8);
        int side = (7 + 2 - 3) / s + 1;
        Tensor[] result = forwardBackward(conv, x, x.zeros(0, side, side, 5), Captures.NONE);
        assertEquals(0, result[0].size());
        assertEquals(0, result[1].size());
        assertArrayEquals(new double[5 * 8 * 9], result[2].f64());
        assertArrayEquals(new double[5], result[3].f64());
    }

    /** Output, ∂L/∂x, ∂L/∂W, ∂L/∂b for the output gradient g. */
    private static Tensor[] forwardBackward(Conv2d conv, Tensor x, Tensor g, Captures captures) {
        conv.parameters().forEach(Parameter::zeroGrad);
        Node node = conv.forward(x, Pass.training(captures));
        captures.beginBackward();
        Tensor dx = node.backward(g, Backward.TRAIN);
        return new Tensor[] {node.output(), dx, conv.weight().grad().copy(), conv.bias().orElseThrow().grad().copy()};
    }

    /** The captured input is the im2col matrix in PyTorch's (channel, kernel row, kernel column) order. */
    @Test
    void capturedInputIsTheIm2colMatrixWithOnes() {
        int h = 4, w = 4, cin = 2, k = 3;
        Conv2d conv = new Conv2d("conv", cin, 3, k, 1, 1, true, DType.F64, new SplittableRandom(SEED));
        Tensor x = GradientCheck.random(SEED, DType.F64, 1, h, w, cin);
        Captures captures = Captures.create();
        conv.forward(x, Pass.training(captures));
        Tensor a = captures.of(conv).inputs().get(0);
        assertTrue(a.hasShape(1, 16, cin * k * k + 1));
        for (int oh = 0; oh < h; oh++) {
            for (int ow = 0; ow < w; ow++) {
                for (int c = 0; c < cin; c++) {
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int ih = oh - 1 + i;
                            int iw = ow - 1 + j;
                            double expected = ih >= 0 && ih < h && iw >= 0 && iw < w ? x.at(0, ih, iw, c) : 0;
                            assertEquals(expected, a.at(0, oh * w + ow, c * k * k + i * k + j), 0);
                        }
                    }
                }
                assertEquals(1.0, a.at(0, oh * w + ow, cin * k * k), 0);
            }
        }
    }

    @Test
    void badInputsAreNamed() {
        Conv2d conv = new Conv2d("stem", 3, 8, 5, 1, 0, false, DType.F32, new SplittableRandom(SEED));
        ShapeMismatchException channels = assertThrows(ShapeMismatchException.class,
                () -> conv.forward(Tensor.zeros(DType.F32, 1, 8, 8, 2), Pass.evaluation()));
        assertTrue(channels.getMessage().contains("stem") && channels.getMessage().contains("[1, 8, 8, 2]"),
                channels.getMessage());
        assertThrows(ShapeMismatchException.class, () -> conv.forward(Tensor.zeros(DType.F32, 1, 3, 3, 3),
                Pass.evaluation()));
    }
}

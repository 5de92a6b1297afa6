package org.kfac4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

class Conv2dTest {
    private static final long SEED = 4242L;

    @ParameterizedTest(name = "{0}x{1}x{2} → {3}, k{4} s{5} p{6} bias={7}")
    @CsvSource({"5, 5, 2, 3, 3, 1, 1, true", "6, 7, 3, 4, 3, 2, 0, false", "4, 4, 1, 1, 1, 1, 0, true",
            "7, 5, 2, 2, 3, 2, 1, false", "3, 3, 5, 2, 3, 1, 2, true"})
    void backwardMatchesFiniteDifferences(int h, int w, int cin, int cout, int k, int s, int p, boolean bias) {
        Conv2d conv = new Conv2d("conv", cin, cout, k, s, p, bias, DType.F64, new SplittableRandom(SEED));
        GradientCheck.check(conv, GradientCheck.random(SEED, DType.F64, 2, h, w, cin), SEED, 1e-6);
    }

    /** The forward pass against the definition of PyTorch's cross-correlation, written over NCHW indices. */
    @Test
    void forwardIsTheCrossCorrelationDefinition() {
        int n = 2, h = 6, w = 5, cin = 3, cout = 4, k = 3, s = 2, p = 1;
        for (DType dtype : DType.values()) {
            Conv2d conv = new Conv2d("conv", cin, cout, k, s, p, true, dtype, new SplittableRandom(SEED));
            Tensor x = GradientCheck.random(SEED, dtype, n, h, w, cin);
            Tensor y = conv.forward(x, Pass.evaluation()).output();
            int ho = (h + 2 * p - k) / s + 1;
            int wo = (w + 2 * p - k) / s + 1;
            assertTrue(y.hasShape(n, ho, wo, cout));
            Tensor wt = conv.weight().value();
            for (int e = 0; e < n; e++) {
                for (int o = 0; o < cout; o++) {
                    for (int oh = 0; oh < ho; oh++) {
                        for (int ow = 0; ow < wo; ow++) {
                            double sum = conv.bias().orElseThrow().value().get(o);
                            for (int c = 0; c < cin; c++) {
                                for (int i = 0; i < k; i++) {
                                    for (int j = 0; j < k; j++) {
                                        int ih = oh * s - p + i;
                                        int iw = ow * s - p + j;
                                        if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                            sum += wt.at(o, c, i, j) * x.at(e, ih, iw, c);
                                        }
                                    }
                                }
                            }
                            assertEquals(sum, y.at(e, oh, ow, o), dtype == DType.F32 ? 1e-5 : 1e-13);
                        }
                    }
                }
            }
        }
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

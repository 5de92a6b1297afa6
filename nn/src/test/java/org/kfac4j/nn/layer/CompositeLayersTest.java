package org.kfac4j.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

class CompositeLayersTest {
    private static final long SEED = 5L;

    @Test
    void batchNormBackwardMatchesFiniteDifferencesInBothModes() {
        BatchNorm bn = new BatchNorm("bn", 3, DType.F64);
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int c = 0; c < 3; c++) {
            bn.parameters().get(0).value().set(c, 0.5 + rng.nextDouble());
            bn.parameters().get(1).value().set(c, rng.nextDouble() - 0.5);
        }
        Tensor x = GradientCheck.random(SEED, DType.F64, 4, 2, 3, 3);
        GradientCheck.check(bn, x, SEED, 1e-6, 400, new Pass(Linalg.shared(), true, Captures.NONE));
        GradientCheck.check(bn, x, SEED, 1e-6, 400, new Pass(Linalg.shared(), false, Captures.NONE));
    }

    @Test
    void batchNormWithAFusedReluIsBatchNormThenRelu() {
        // bitwise: the fused layer does the same floating-point operations in the same order. 3000 rows span three
        // parallel tasks; 5 and 37 channels are not multiples of any vector length.
        for (DType dtype : DType.values()) {
            for (int channels : new int[] {5, 37}) {
                for (boolean training : new boolean[] {true, false}) {
                    Tensor x = GradientCheck.random(SEED + channels, dtype, 3000, channels);
                    Tensor g = GradientCheck.random(SEED + channels + 1, dtype, 3000, channels);
                    BatchNorm fused = BatchNorm.followedByRelu("bn", channels, dtype);
                    BatchNorm bn = new BatchNorm("bn", channels, dtype);
                    Sequential pair = new Sequential("pair", bn, new Relu("relu"));
                    SplittableRandom rng = new SplittableRandom(SEED);
                    for (int c = 0; c < channels; c++) { // shifts of both signs, so that the ReLU clips some channels
                        double gamma = 0.5 + rng.nextDouble();
                        double beta = 2 * rng.nextDouble() - 1;
                        for (BatchNorm b : new BatchNorm[] {fused, bn}) {
                            b.parameters().get(0).value().set(c, gamma);
                            b.parameters().get(1).value().set(c, beta);
                        }
                    }
                    try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(2))) {
                        Node a = fused.forward(x, new Pass(la, training, Captures.NONE));
                        Node b = pair.forward(x, new Pass(la, training, Captures.NONE));
                        String what = dtype + ", " + channels + " channels, training " + training;
                        assertArrayEquals(values(b.output()), values(a.output()), what + ": output");
                        assertArrayEquals(values(b.backward(g, Backward.TRAIN)),
                                values(a.backward(g, Backward.TRAIN)), what + ": input gradient");
                        for (int p = 0; p < 2; p++) {
                            assertArrayEquals(values(bn.parameters().get(p).grad()),
                                    values(fused.parameters().get(p).grad()), what + ": parameter gradient");
                        }
                        assertArrayEquals(bn.runningVar(), fused.runningVar(), what + ": running variance");
                    }
                }
            }
        }
        BatchNorm fused = BatchNorm.followedByRelu("bn", 3, DType.F64);
        Tensor x = GradientCheck.random(SEED, DType.F64, 4, 2, 3, 3);
        GradientCheck.check(fused, x, SEED, 1e-6, 400, new Pass(Linalg.shared(), true, Captures.NONE));
        assertTrue(fused.toString().contains("ReLU"), fused.toString());
    }

    @Test
    void residualSumsSplitOverThreadsMatchTheDefinition() {
        // y = relu(x) + x and ∂L/∂x = g·[x > 0] + g, element by element: 100 009 elements are four parallel tasks,
        // the last one ragged
        for (DType dtype : DType.values()) {
            Tensor x = GradientCheck.random(SEED, dtype, 7, 14287);
            Tensor g = GradientCheck.random(SEED + 1, dtype, 7, 14287);
            Residual block = new Residual("block", new Relu("relu"), null);
            try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(2))) {
                Node node = block.forward(x, new Pass(la, true, Captures.NONE));
                Tensor dx = node.backward(g, Backward.TRAIN);
                double[] xs = values(x), gs = values(g), y = values(node.output()), d = values(dx);
                for (int i = 0; i < xs.length; i++) {
                    assertEquals(round(dtype, Math.max(xs[i], 0) + xs[i]), y[i], dtype + " output " + i);
                    assertEquals(round(dtype, (xs[i] > 0 ? gs[i] : 0) + gs[i]), d[i], dtype + " input gradient " + i);
                }
            }
        }
    }

    /** {@code v} rounded to the precision of {@code dtype}. */
    private static double round(DType dtype, double v) {
        return dtype == DType.F32 ? (float) v : v;
    }

    /** A tensor's values in double (exactly, from either precision). */
    private static double[] values(Tensor t) {
        return t.to(DType.F64).f64();
    }

    @Test
    void floatBatchNormIsTheDoubleOneRoundedToFloat() {
        // the float layer runs on the vector column kernels, the double one on plain loops that the finite-difference
        // check above verifies: on the same values they agree to float rounding. 3000 rows span three parallel tasks,
        // 37 channels are not a multiple of any vector length.
        int rows = 3000;
        int channels = 37;
        Tensor x = GradientCheck.random(SEED, DType.F32, rows, channels);
        Tensor g = GradientCheck.random(SEED + 1, DType.F32, rows, channels);
        BatchNorm single = new BatchNorm("bn", channels, DType.F32);
        BatchNorm dbl = new BatchNorm("bn", channels, DType.F64);
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int c = 0; c < channels; c++) {
            float gamma = (float) (0.5 + rng.nextDouble());
            float beta = (float) (2 * rng.nextDouble() - 1);
            for (BatchNorm b : new BatchNorm[] {single, dbl}) {
                b.parameters().get(0).value().set(c, gamma);
                b.parameters().get(1).value().set(c, beta);
            }
        }
        try (Linalg la = Linalg.create(LinalgConfig.defaults().withThreads(2))) {
            Node a = single.forward(x, new Pass(la, true, Captures.NONE));
            Node b = dbl.forward(x.to(DType.F64), new Pass(la, true, Captures.NONE));
            assertClose(values(b.output()), values(a.output()), 1e-5, "output");
            assertClose(values(b.backward(g.to(DType.F64), Backward.TRAIN)), values(a.backward(g, Backward.TRAIN)),
                    1e-5, "input gradient");
            for (int p = 0; p < 2; p++) {
                // sums over 3000 rows of terms of either sign: relative to the sum of their magnitudes (≈ 3000·0.5)
                assertClose(values(dbl.parameters().get(p).grad()), values(single.parameters().get(p).grad()),
                        1e-5 * rows, "parameter gradient " + p);
            }
            assertArrayEquals(dbl.runningMean(), single.runningMean(), 1e-12, "running mean");
            assertArrayEquals(dbl.runningVar(), single.runningVar(), 1e-12, "running variance");
        }
    }

    /** |want − got| ≤ tolerance·max(1, |want|) element by element. */
    private static void assertClose(double[] want, double[] got, double tolerance, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tolerance * Math.max(1, Math.abs(want[i])), what + " at " + i);
        }
    }

    @Test
    void batchNormNormalisesEachChannelAndTracksRunningStatistics() {
        BatchNorm bn = new BatchNorm("bn", 2, DType.F64);
        Tensor x = Tensor.wrap(new double[] {1, 10, 2, 20, 3, 30, 4, 40}, 4, 2);
        Tensor y = bn.forward(x, Pass.training(Captures.NONE)).output();
        // channel 0: mean 2.5, biased variance 1.25
        assertEquals((1 - 2.5) / Math.sqrt(1.25 + 1e-5), y.at(0, 0), 1e-12);
        assertEquals((40 - 25) / Math.sqrt(125 + 1e-5), y.at(3, 1), 1e-12);
        assertEquals(0.1 * 2.5, bn.runningMean()[0], 1e-15);
        assertEquals(0.9 + 0.1 * 1.25 * 4 / 3, bn.runningVar()[0], 1e-15);
        assertThrows(ShapeMismatchException.class, () -> bn.forward(Tensor.zeros(DType.F64, 1, 2),
                Pass.training(Captures.NONE)));
    }

    @Test
    void batchStatisticsKeepTheirPrecisionFarFromZero() {
        // float values 1e4 apart from zero with a spread of 1e-2 (a variance 1e-12 of the squared mean): the variance
        // from unshifted sums, E[x²] − E[x]², would keep no correct digit; the two-pass definition in double is exact
        int rows = 3000;
        Tensor x = Tensor.zeros(DType.F32, rows, 2);
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int i = 0; i < rows; i++) {
            x.set(2 * i, (float) (1e4 + rng.nextGaussian() * 1e-2));
            x.set(2 * i + 1, (float) (-3 + rng.nextGaussian()));
        }
        BatchNorm bn = new BatchNorm("bn", 2, 1e-5, 1.0, DType.F32); // momentum 1: running statistics = the batch's
        bn.forward(x, new Pass(Linalg.shared(), true, Captures.NONE));
        for (int c = 0; c < 2; c++) {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                mean += x.get(2 * i + c);
            }
            mean /= rows;
            double var = 0;
            for (int i = 0; i < rows; i++) {
                var += (x.get(2 * i + c) - mean) * (x.get(2 * i + c) - mean);
            }
            var /= rows - 1;
            assertEquals(mean, bn.runningMean()[c], 1e-12 * Math.abs(mean), "mean of channel " + c);
            assertEquals(var, bn.runningVar()[c], 1e-9 * var, "unbiased variance of channel " + c);
        }
    }

    @Test
    void aRecountAveragesTheBatchStatisticsEqually() {
        BatchNorm bn = new BatchNorm("bn", 2, DType.F64);
        bn.forward(GradientCheck.random(SEED, DType.F64, 6, 2), Pass.training(Captures.NONE));
        bn.beginRecount();
        double[] meanSum = new double[2];
        double[] varSum = new double[2];
        int batches = 3;
        int rows = 5;
        for (int b = 0; b < batches; b++) {
            Tensor x = GradientCheck.random(SEED + 1 + b, DType.F64, rows, 2);
            for (int c = 0; c < 2; c++) {
                double m = 0;
                for (int i = 0; i < rows; i++) {
                    m += x.at(i, c) / rows;
                }
                double v = 0;
                for (int i = 0; i < rows; i++) {
                    v += (x.at(i, c) - m) * (x.at(i, c) - m) / (rows - 1);
                }
                meanSum[c] += m;
                varSum[c] += v;
            }
            bn.forward(x, Pass.training(Captures.NONE));
            bn.forward(x, Pass.evaluation()); // evaluation passes do not count
        }
        bn.endRecount();
        for (int c = 0; c < 2; c++) {
            assertEquals(meanSum[c] / batches, bn.runningMean()[c], 1e-14);
            assertEquals(varSum[c] / batches, bn.runningVar()[c], 1e-14);
        }
        double before = bn.runningMean()[0];
        Tensor x = Tensor.wrap(new double[] {1, 0, 3, 0}, 2, 2);
        bn.forward(x, Pass.training(Captures.NONE));
        assertEquals(0.9 * before + 0.1 * 2, bn.runningMean()[0], 1e-15, "after the recount: the moving average again");
    }

    @Test
    void poolingAndResidualBackwardMatchFiniteDifferences() {
        Tensor x = GradientCheck.random(SEED, DType.F64, 2, 3, 4, 5);
        GradientCheck.check(new PoolOverPositions("mean", PoolOverPositions.Mode.MEAN), x, SEED, 1e-7);
        GradientCheck.check(new PoolOverPositions("sum", PoolOverPositions.Mode.SUM), x, SEED, 1e-7);
        SplittableRandom rng = new SplittableRandom(SEED);
        Residual identity = new Residual("res", new Sequential("main", new Linear("a", 5, 5, true, DType.F64, rng),
                new Tanh("t")), null);
        GradientCheck.check(identity, x, SEED, 1e-6);
        Residual projected = new Residual("res", new Linear("a", 5, 3, true, DType.F64, rng),
                new Linear("proj", 5, 3, false, DType.F64, rng));
        GradientCheck.check(projected, x, SEED, 1e-6);
        Residual mismatched = new Residual("bad", new Linear("a", 5, 3, true, DType.F64, rng), null);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> mismatched.forward(x, Pass.evaluation()));
        assertTrue(e.getMessage().contains("bad"), e.getMessage());
    }

    @Test
    void flattenOfAChannelsLastImageFollowsPyTorchsChannelRowColumnOrder() {
        Tensor x = GradientCheck.random(SEED, DType.F64, 2, 3, 4, 5);
        Tensor y = new Flatten("f").forward(x, Pass.evaluation()).output();
        assertTrue(y.hasShape(2, 60));
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 5; c++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 4; j++) {
                        assertEquals(x.at(n, i, j, c), y.at(n, (c * 3 + i) * 4 + j), 0);
                    }
                }
            }
        }
        GradientCheck.check(new Flatten("f"), x, SEED, 1e-8);
        GradientCheck.check(new Flatten("f"), GradientCheck.random(SEED, DType.F64, 2, 3, 4), SEED, 1e-8);
    }
}

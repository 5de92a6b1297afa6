package org.kfac4j.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.kfac4j.nn.GradientCheck;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

class LossTest {
    private static final long SEED = 31L;
    private static final double H = 1e-5;

    private static int[] labels(int terms, int c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[terms];
        for (int t = 0; t < terms; t++) {
            y[t] = rng.nextInt(c);
        }
        return y;
    }

    @Test
    void crossEntropyIsTheNegativeLogSoftmaxAveragedOverTerms() {
        Tensor f = GradientCheck.random(SEED, DType.F64, 3, 2, 5).reshape(3, 2, 5);
        int[] y = labels(6, 5, SEED);
        LossValue mean = CrossEntropy.mean().evaluate(f, y);
        LossValue sum = new CrossEntropy(Reduction.SUM).evaluate(f, y);
        double total = 0;
        for (int t = 0; t < 6; t++) {
            double z = 0;
            for (int k = 0; k < 5; k++) {
                z += Math.exp(f.get(t * 5 + k));
            }
            total += Math.log(z) - f.get(t * 5 + y[t]);
        }
        assertEquals(total / 6, mean.value(), 1e-14);
        assertEquals(total, sum.value(), 1e-13);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor f = Tensor.wrap(new double[] {1000, 0, -1000}, 1, 3);
        LossValue v = CrossEntropy.mean().evaluate(f, new int[] {1});
        assertEquals(1000, v.value(), 1e-9);
        assertTrue(Double.isFinite(v.gradient().get(0)));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor f = GradientCheck.random(SEED, DType.F64, 4, 3, 6);
        int[] y = labels(12, 6, SEED);
        checkGradient(f, (t, unused) -> CrossEntropy.mean().evaluate(t, y));
        Tensor target = GradientCheck.random(SEED + 1, DType.F64, 4, 3, 6);
        checkGradient(f, (t, unused) -> MeanSquaredError.mean().evaluate(t, target));
        checkGradient(f, (t, unused) -> new MeanSquaredError(Reduction.SUM).evaluate(t, target));
    }

    /** S·Sᵀ equals the Hessian of one term's ℓ, taken by finite differences of the analytic gradient. */
    @Test
    void hessianFactorsReproduceTheHessian() {
        int c = 5;
        Tensor f = GradientCheck.random(SEED, DType.F64, 2, c);
        int[] y = {1, 4};
        Tensor target = GradientCheck.random(SEED + 3, DType.F64, 2, c);
        checkHessianFactor(f, CrossEntropy.mean(), (t, l) -> ((CrossEntropy) l).evaluate(t, y), c);
        checkHessianFactor(f, MeanSquaredError.mean(), (t, l) -> ((MeanSquaredError) l).evaluate(t, target), c);
    }

    private static void checkHessianFactor(Tensor f, Loss<?> loss, BiFunction<Tensor, Loss<?>, LossValue> eval, int c) {
        int terms = f.rows();
        Tensor[] columns = new Tensor[c];
        for (int k = 0; k < c; k++) {
            columns[k] = loss.hessianFactorColumn(f, k);
        }
        double z = loss.normaliser(f);
        for (int t = 0; t < terms; t++) {
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    double sst = 0;
                    for (int k = 0; k < c; k++) {
                        sst += columns[k].get(t * c + i) * columns[k].get(t * c + j);
                    }
                    // ∂²ℓ_t/∂f_i∂f_j = Z · ∂(∂L/∂f_{t,i})/∂f_{t,j}
                    double saved = f.get(t * c + j);
                    f.set(t * c + j, saved + H);
                    double plus = eval.apply(f, loss).gradient().get(t * c + i);
                    f.set(t * c + j, saved - H);
                    double minus = eval.apply(f, loss).gradient().get(t * c + i);
                    f.set(t * c + j, saved);
                    double hessian = z * (plus - minus) / (2 * H);
                    assertEquals(hessian, sst, 1e-8, loss + " term " + t + " (" + i + ", " + j + ")");
                }
            }
        }
    }

    /** Sampled classes follow softmax(f): each frequency within 5 standard errors of p over 40 000 draws. */
    @Test
    void crossEntropySamplesFollowTheSoftmax() {
        Tensor f = Tensor.wrap(new double[] {2, 0, -1, 0.5}, 1, 4);
        double[] p = new double[4];
        double z = 0;
        for (int k = 0; k < 4; k++) {
            z += Math.exp(f.get(k));
        }
        int draws = 40_000;
        int[] counts = new int[4];
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int d = 0; d < draws; d++) {
            counts[CrossEntropy.mean().sample(f, rng)[0]]++;
        }
        for (int k = 0; k < 4; k++) {
            p[k] = Math.exp(f.get(k)) / z;
            double se = Math.sqrt(p[k] * (1 - p[k]) / draws);
            assertEquals(p[k], counts[k] / (double) draws, 5 * se, "class " + k + " (seed " + SEED + ")");
        }
    }

    @Test
    void gaussianSamplesHaveUnitVarianceAroundTheOutput() {
        Tensor f = Tensor.zeros(DType.F64, 20_000, 1).fill(3);
        Tensor y = MeanSquaredError.mean().sample(f, new SplittableRandom(SEED));
        double mean = 0;
        double sq = 0;
        for (int i = 0; i < y.size(); i++) {
            mean += y.get(i);
            sq += (y.get(i) - 3) * (y.get(i) - 3);
        }
        assertEquals(3, mean / y.size(), 5 / Math.sqrt(y.size()));
        assertEquals(1, sq / y.size(), 5 * Math.sqrt(2.0 / y.size()));
    }

    @Test
    void badTargetsAndOutputsAreNamed() {
        Tensor f = Tensor.zeros(DType.F32, 2, 3);
        assertThrows(ShapeMismatchException.class, () -> CrossEntropy.mean().evaluate(f, new int[] {0}));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> CrossEntropy.mean().evaluate(f, new int[] {0, 3}));
        assertTrue(range.getMessage().contains("target 1") && range.getMessage().contains("3"), range.getMessage());
        f.set(4, Double.NaN);
        NonFiniteOutputException nan = assertThrows(NonFiniteOutputException.class,
                () -> CrossEntropy.mean().evaluate(f, new int[] {0, 1}));
        assertTrue(nan.getMessage().contains("term 1, column 1"), nan.getMessage());
        assertThrows(ShapeMismatchException.class,
                () -> MeanSquaredError.mean().evaluate(Tensor.zeros(DType.F32, 2, 3), Tensor.zeros(DType.F32, 3, 2)));
    }

    private static void checkGradient(Tensor f, BiFunction<Tensor, Void, LossValue> eval) {
        Tensor grad = eval.apply(f, null).gradient();
        for (int i = 0; i < f.size(); i++) {
            double saved = f.get(i);
            f.set(i, saved + H);
            double plus = eval.apply(f, null).value();
            f.set(i, saved - H);
            double minus = eval.apply(f, null).value();
            f.set(i, saved);
            assertEquals((plus - minus) / (2 * H), grad.get(i), 1e-9, "∂L/∂f[" + i + "]");
        }
    }
}

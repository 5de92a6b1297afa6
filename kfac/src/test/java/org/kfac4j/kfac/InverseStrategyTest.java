package org.kfac4j.kfac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kfac4j.kfac.KfacTest.gaussian;
import static org.kfac4j.kfac.KfacTest.labels;
import static org.kfac4j.kfac.KfacTest.trainStep;
import static org.kfac4j.kfac.KfacTest.values;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kfac4j.kfac.inverse.InverseNotApplicableException;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.layer.Linear;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.layer.Sequential;
import org.kfac4j.nn.layer.Tanh;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.ModelWeights;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The inverse strategies inside the optimiser: trajectories, applicability, checkpoints and determinism. The model is
 * wide against its batch (Linear 40→30, tanh, Linear 30→3; N = 4), the regime online updates are made for: every
 * batch term has 4 rows, well below the factors' orders.
 */
class InverseStrategyTest {
    private static final int N = 4;

    /**
     * While nothing is truncated (4 rows a step, 4 steps, r = 20) a Brand-tracked factor is its moving average
     * exactly, so B-KFAC's trajectory is eigen's to rounding — when eigen too decomposes at every factor update
     * (T_inv = 1; Brand updates refresh the spectrum at every factor update by construction).
     */
    @Test
    void withoutTruncationBrandUpdatesFollowTheEigenTrajectory() {
        List<double[]> eigen = train(InverseStrategy.eigen(), Linalg.shared(), 4, 1);
        List<double[]> brand = train(InverseStrategy.brand(20), Linalg.shared(), 4, 1);
        for (int p = 0; p < eigen.size(); p++) {
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < eigen.get(p).length; i++) {
                diff += Math.pow(eigen.get(p)[i] - brand.get(p)[i], 2);
                norm += eigen.get(p)[i] * eigen.get(p)[i];
            }
            assertTrue(Math.sqrt(diff / norm) <= 1e-9, "parameter " + p + ": relative difference "
                    + Math.sqrt(diff / norm));
        }
    }

    /** Every strategy trains: the loss after 12 steps is below the loss before (the strategies are all usable). */
    @ParameterizedTest
    @ValueSource(strings = {"eigen", "eigen-pi", "cholesky", "rs-kfac:12", "b-kfac:12", "b-r-kfac:12", "b-kfac-c:12",
            "cg"})
    void everyStrategyDescends(String name) {
        Model model = wide(5);
        CrossEntropy loss = CrossEntropy.mean();
        SplittableRandom rng = new SplittableRandom(6);
        Tensor x = gaussian(rng, N, 40);
        int[] y = labels(rng, N);
        double lossBefore = lossOf(model, loss, x, y);
        Kfac<int[]> kfac = builder(model, InverseStrategy.parse(name), Linalg.shared()).build();
        for (int s = 0; s < 12; s++) {
            trainStep(kfac, model, loss, x, y);
        }
        double lossAfter = lossOf(model, loss, x, y);
        assertTrue(lossAfter < lossBefore, name + ": loss " + lossBefore + " → " + lossAfter);
        assertTrue(kfac.registrationTable().contains(name.split(":")[0]), kfac.registrationTable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rs-kfac:12", "b-kfac:12", "b-r-kfac:12", "b-kfac-c:12", "cg"})
    void resultsDoNotDependOnTheThreadCount(String name) {
        List<double[]> one = train(InverseStrategy.parse(name), Linalg.create(LinalgConfig.defaults().withThreads(1)),
                7, 3);
        List<double[]> two = train(InverseStrategy.parse(name), Linalg.create(LinalgConfig.defaults().withThreads(2)
                .withMinParallelFlops(0)), 7, 3);
        for (int p = 0; p < one.size(); p++) {
            assertArrayEquals(one.get(p), two.get(p), name + ": parameter " + p + " differs between 1 and 2 threads");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rs-kfac:12", "b-kfac:12", "b-r-kfac:12", "b-kfac-c:12", "cg"})
    void aRestoredSnapshotContinuesTheSameTrajectory(String name, @TempDir Path dir) throws IOException {
        CrossEntropy loss = CrossEntropy.mean();
        SplittableRandom rng = new SplittableRandom(8);
        Model model = wide(5);
        Kfac<int[]> kfac = builder(model, InverseStrategy.parse(name), Linalg.shared()).build();
        Tensor[] xs = new Tensor[9];
        int[][] ys = new int[9][];
        for (int s = 0; s < xs.length; s++) {
            xs[s] = gaussian(rng, N, 40);
            ys[s] = labels(rng, N);
        }
        for (int s = 0; s < 4; s++) {
            trainStep(kfac, model, loss, xs[s], ys[s]);
        }
        kfac.snapshot(dir.resolve("kfac.safetensors"));
        ModelWeights.save(model, dir.resolve("model.safetensors"), Map.of());
        for (int s = 4; s < xs.length; s++) {
            trainStep(kfac, model, loss, xs[s], ys[s]);
        }
        Model resumed = wide(99);
        ModelWeights.load(resumed, dir.resolve("model.safetensors"));
        Kfac<int[]> again = builder(resumed, InverseStrategy.parse(name), Linalg.shared()).build();
        again.restore(dir.resolve("kfac.safetensors"));
        for (int s = 4; s < xs.length; s++) {
            trainStep(again, resumed, loss, xs[s], ys[s]);
        }
        List<double[]> expected = values(model);
        List<double[]> actual = values(resumed);
        for (int p = 0; p < expected.size(); p++) {
            assertArrayEquals(expected.get(p), actual.get(p), name + ": parameter " + p + " after resuming");
        }
    }

    /** Brand updates where r + n reaches the factor's order: an error naming layer, factor and sizes. */
    @Test
    void brandUpdatesWhereTheyCannotPayOffAreAnErrorUnlessAFallbackIsGiven() {
        Model model = KfacTest.mlp(1); // Linear 7→10, batch 24: A (8×8) and G (10×10) see 24-row terms
        CrossEntropy loss = CrossEntropy.mean();
        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = gaussian(rng, 24, 7);
        int[] y = labels(rng, 24);
        Kfac<int[]> strict = Kfac.builder(model, loss).learningRate(0.1).inverse(InverseStrategy.brand(4)).build();
        InverseNotApplicableException e = assertThrows(InverseNotApplicableException.class,
                () -> trainStep(strict, model, loss, x, y));
        assertTrue(e.getMessage().contains("fc1 factor A") && e.getMessage().contains("rank 4 + 24 rows")
                && e.getMessage().contains("order 8") && e.getMessage().contains("orElse"), e.getMessage());
        Kfac<int[]> lenient = Kfac.builder(model, loss).learningRate(0.1)
                .inverse(InverseStrategy.brand(4).orElse(InverseStrategy.eigen())).build();
        trainStep(lenient, model, loss, x, y);
        assertTrue(lenient.registrationTable().contains("eigen"), lenient.registrationTable());
    }

    /**
     * A Brand-tracked factor is never formed, so its batch terms are what is checked for NaN, Inf and overflow: inputs
     * of 1e200 keep the loss finite (tanh saturates) but their squares overflow.
     */
    @Test
    void aNonFiniteBatchTermOfAnOnlineFactorIsNamed() {
        Model model = wide(2);
        CrossEntropy loss = CrossEntropy.mean();
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = gaussian(rng, N, 40);
        x.set(5, 1e200);
        Kfac<int[]> kfac = builder(model, InverseStrategy.brand(12), Linalg.shared()).build();
        NonFiniteFactorException e = assertThrows(NonFiniteFactorException.class,
                () -> trainStep(kfac, model, loss, x, labels(rng, N)));
        assertTrue(e.getMessage().contains("fc1") && e.getMessage().contains("input batch term")
                && e.getMessage().contains("overflows") && e.getMessage().contains("1.0E200"), e.getMessage());
    }

    @Test
    void badParametersAreRejectedAtBuildTime() {
        Model model = wide(1);
        CrossEntropy loss = CrossEntropy.mean();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kfac.builder(model, loss)
                .learningRate(0.1).inverse(InverseStrategy.randomised(0, -1, 2))
                .inverse("fc2", InverseStrategy.conjugateGradient(2, 0)).build());
        assertTrue(e.getMessage().contains("rs-kfac rank must be >= 1") && e.getMessage().contains("oversampling")
                && e.getMessage().contains("cg tolerance") && e.getMessage().contains("iteration cap"), e.getMessage());
        IllegalArgumentException fallback = assertThrows(IllegalArgumentException.class, () -> Kfac.builder(model,
                loss).learningRate(0.1).inverse(InverseStrategy.brand(8).orElse(InverseStrategy.choleskyPiSplit()))
                .build());
        assertTrue(fallback.getMessage().contains("fall back to eigen or rs-kfac"), fallback.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> InverseStrategy.parse("b-kfac:many"));
        assertTrue(unknown.getMessage().contains("integer"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> InverseStrategy.parse("svd"));
    }

    private static List<double[]> train(InverseStrategy strategy, Linalg linalg, int steps, int inverseInterval) {
        Model model = wide(3);
        CrossEntropy loss = CrossEntropy.mean();
        Kfac<int[]> kfac = builder(model, strategy, linalg).inverseUpdateInterval(inverseInterval).build();
        SplittableRandom rng = new SplittableRandom(4);
        for (int s = 0; s < steps; s++) {
            trainStep(kfac, model, loss, gaussian(rng, N, 40), labels(rng, N));
        }
        return values(model);
    }

    private static KfacBuilder<int[]> builder(Model model, InverseStrategy strategy, Linalg linalg) {
        return Kfac.builder(model, CrossEntropy.mean()).linalg(linalg).learningRate(0.05).momentum(0.9).damping(1e-2)
                .factorUpdateInterval(1).inverseUpdateInterval(3).factorDecay(0.9).inverse(strategy).seed(17);
    }

    /** Linear 40→30 (bias), tanh, Linear 30→3 (bias), float64. */
    static Model wide(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Model("wide", new Sequential("wide", new Linear("fc1", 40, 30, true, DType.F64, rng),
                new Tanh("tanh"), new Linear("fc2", 30, 3, true, DType.F64, rng)), DType.F64);
    }

    private static double lossOf(Model model, CrossEntropy loss, Tensor x, int[] y) {
        return loss.evaluate(model.forward(x, new Pass(Linalg.shared(), false, Captures.NONE)).output(), y).value();
    }
}

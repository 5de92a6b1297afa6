package org.kfac4j.kfac;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.LinalgConfig;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Linear;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.layer.PoolOverPositions;
import org.kfac4j.nn.layer.Sequential;
import org.kfac4j.nn.layer.Tanh;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.Loss;
import org.kfac4j.nn.loss.MeanSquaredError;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.model.ModelWeights;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Initialisation;
import org.kfac4j.nn.tensor.Tensor;

/** The optimiser's behaviour: what a step computes, its schedule, its errors, determinism and checkpoints. */
class KfacTest {
    private static final int N = 24;
    private static final int R = 5;
    private static final int D = 7;
    private static final int C = 3;

    /**
     * One linear layer with weight sharing under a Gaussian likelihood: the exact GGN is the Hessian, and K-FAC in the
     * setting's own approximation equals it (Propositions 1 and 2 at depth one), so one step with learning rate 1 and
     * vanishing damping is Newton's step and lands on the least-squares solution: the gradient vanishes there. The
     * other approximation is not exact for R > 1, and its step leaves a gradient behind (the test can fail).
     */
    @ParameterizedTest
    @EnumSource(Approximation.class)
    void oneStepOfTheSettingsOwnApproximationSolvesLinearLeastSquares(Approximation setting) {
        for (Approximation approximation : Approximation.values()) {
            SplittableRandom rng = new SplittableRandom(11);
            Layer root = setting == Approximation.EXPAND ? new Linear("fc", D, C, true, DType.F64, rng)
                    : new Sequential("net", new Linear("fc", D, C, true, DType.F64, rng),
                            new PoolOverPositions("pool", PoolOverPositions.Mode.MEAN));
            Model model = new Model("linear", root, DType.F64);
            Tensor x = gaussian(rng, N, R, D);
            Tensor y = setting == Approximation.EXPAND ? gaussian(rng, N, R, C) : gaussian(rng, N, C);
            MeanSquaredError loss = MeanSquaredError.mean();
            Kfac<Tensor> kfac = Kfac.builder(model, loss).learningRate(1).damping(1e-12).klClip(0)
                    .curvature(Curvature.exactGgn()).approximation(approximation).build();
            double before = gradientNorm(model, loss, x, y);
            trainStep(kfac, model, loss, x, y);
            double after = gradientNorm(model, loss, x, y);
            if (approximation == setting) {
                assertTrue(after <= 1e-8 * before, setting + " setting, " + approximation + ": gradient " + before
                        + " → " + after + " (Newton's step should zero it)");
            } else {
                assertTrue(after > 1e-3 * before, setting + " setting, " + approximation + ": gradient " + before
                        + " → " + after + " (should not be Newton's step)");
            }
        }
    }

    /** The Monte-Carlo Fisher's G is an unbiased estimate of the exact GGN's: 4000 samples within 10% (≈ 6/√k). */
    @Test
    void theMonteCarloFisherConvergesToTheExactGgn() {
        Model model = mlp(21);
        CrossEntropy loss = CrossEntropy.mean();
        SplittableRandom rng = new SplittableRandom(21);
        Tensor x = gaussian(rng, N, D);
        int[] y = labels(rng, N);
        for (Approximation a : Approximation.values()) {
            var exact = KroneckerFactors.ofBatch(model, Pass.training(Captures.create()), x, loss, y,
                    Curvature.exactGgn(), layer -> a, 0);
            var sampled = KroneckerFactors.ofBatch(model, Pass.training(Captures.create()), x, loss, y,
                    Curvature.monteCarlo(4000), layer -> a, 5);
            for (var layer : model.kfacLayers()) {
                Tensor ge = exact.get(layer).g();
                Tensor gs = sampled.get(layer).g();
                double diff = 0;
                double norm = 0;
                for (int i = 0; i < ge.size(); i++) {
                    diff += Math.pow(gs.get(i) - ge.get(i), 2);
                    norm += Math.pow(ge.get(i), 2);
                }
                assertTrue(Math.sqrt(diff / norm) < 0.1, layer.name() + " " + a + ": relative error "
                        + Math.sqrt(diff / norm) + " (seed 5)");
                assertArrayEquals(exact.get(layer).a().f64(), sampled.get(layer).a().f64(), "A does not depend on the curvature");
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        List<double[]> one = train(Linalg.create(LinalgConfig.defaults().withThreads(1)), 7);
        List<double[]> two = train(Linalg.create(LinalgConfig.defaults().withThreads(2).withMinParallelFlops(0)), 7);
        for (int p = 0; p < one.size(); p++) {
            assertArrayEquals(one.get(p), two.get(p), "parameter " + p + " differs between 1 and 2 threads");
        }
    }

    private static List<double[]> train(Linalg linalg, int steps) {
        Model model = mlp(3);
        CrossEntropy loss = CrossEntropy.mean();
        Kfac<int[]> kfac = Kfac.builder(model, loss).linalg(linalg).learningRate(0.1).momentum(0.9).weightDecay(1e-4)
                .inverseUpdateInterval(2).factorUpdateInterval(1).build();
        SplittableRandom rng = new SplittableRandom(4);
        Tensor x = gaussian(rng, N, D);
        int[] y = labels(rng, N);
        for (int s = 0; s < steps; s++) {
            trainStep(kfac, model, loss, x, y);
        }
        return values(model);
    }

    @Test
    void aRestoredSnapshotContinuesTheSameTrajectory(@TempDir Path dir) throws IOException {
        CrossEntropy loss = CrossEntropy.mean();
        SplittableRandom rng = new SplittableRandom(8);
        Tensor x = gaussian(rng, N, D);
        int[] y = labels(rng, N);
        Model model = mlp(5);
        Kfac<int[]> kfac = builder(model, loss).build();
        for (int s = 0; s < 3; s++) {
            trainStep(kfac, model, loss, x, y);
        }
        kfac.snapshot(dir.resolve("kfac.safetensors"));
        ModelWeights.save(model, dir.resolve("model.safetensors"), java.util.Map.of());
        for (int s = 0; s < 4; s++) {
            trainStep(kfac, model, loss, x, y);
        }
        Model resumed = mlp(99); // other initial weights: all of them come from the checkpoint
        ModelWeights.load(resumed, dir.resolve("model.safetensors"));
        Kfac<int[]> again = builder(resumed, loss).build();
        again.restore(dir.resolve("kfac.safetensors"));
        assertEquals(3, again.steps());
        for (int s = 0; s < 4; s++) {
            trainStep(again, resumed, loss, x, y);
        }
        List<double[]> expected = values(model);
        List<double[]> actual = values(resumed);
        for (int p = 0; p < expected.size(); p++) {
            assertArrayEquals(expected.get(p), actual.get(p), "parameter " + p + " after resuming");
        }
        Kfac<int[]> other = builder(mlp(5), loss).inverseMethod(InverseMethod.CHOLESKY_PI_SPLIT).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> other.restore(dir.resolve("kfac.safetensors")));
        assertTrue(e.getMessage().contains("other options"), e.getMessage());
    }

    private static KfacBuilder<int[]> builder(Model model, Loss<int[]> loss) {
        // T_cov 2 and T_inv 3: the resumed steps mix refreshed and carried-over factors and inverses
        return Kfac.builder(model, loss).learningRate(0.05).momentum(0.9).factorUpdateInterval(2)
                .inverseUpdateInterval(3).factorDecay(0.9).seed(17);
    }

    @Test
    void theWarmupRefreshesFactorsAndLeavesGradientsAlone() {
        Model model = mlp(2);
        CrossEntropy loss = CrossEntropy.mean();
        Kfac<int[]> kfac = Kfac.builder(model, loss).learningRate(0.1).warmup(2).factorUpdateInterval(5).build();
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = gaussian(rng, N, D);
        int[] y = labels(rng, N);
        for (int s = 0; s < 3; s++) {
            assertEquals(s < 2, kfac.updatesFactors(), "step " + s + ": refreshes in the warm-up, then at multiples of 5");
            ForwardResult f = model.forward(x, kfac.trainingPass());
            kfac.zeroGrad();
            f.backward(loss.evaluate(f.output(), y).gradient());
            List<double[]> raw = grads(model);
            kfac.precondition(f, y);
            List<double[]> after = grads(model);
            boolean unchanged = true;
            for (int p = 0; p < raw.size(); p++) {
                unchanged &= java.util.Arrays.equals(raw.get(p), after.get(p));
            }
            assertEquals(s < 2, unchanged, "step " + s + ": gradients preconditioned only after the warm-up");
        }
        assertEquals(2, kfac.diagnostics().get(0).factorUpdates());
    }

    @Test
    void theKlClipBoundsTheQuadraticModelOfTheStep() {
        CrossEntropy loss = CrossEntropy.mean();
        SplittableRandom rng = new SplittableRandom(12);
        Tensor x = gaussian(rng, N, D);
        int[] y = labels(rng, N);
        double lr = 0.3;
        double kappa = 1e-6;
        List<double[]> raw = null;
        List<double[]> unclipped = null;
        List<double[]> clipped = null;
        for (double k : new double[] {0, kappa}) {
            Model model = mlp(6);
            Kfac<int[]> kfac = Kfac.builder(model, loss).learningRate(lr).klClip(k).build();
            ForwardResult f = model.forward(x, kfac.trainingPass());
            kfac.zeroGrad();
            f.backward(loss.evaluate(f.output(), y).gradient());
            raw = grads(model);
            kfac.precondition(f, y);
            if (k == 0) {
                unclipped = grads(model);
            } else {
                clipped = grads(model);
            }
        }
        double vg = 0;
        for (int p = 0; p < raw.size(); p++) {
            for (int i = 0; i < raw.get(p).length; i++) {
                vg += raw.get(p)[i] * unclipped.get(p)[i];
            }
        }
        double nu = clipped.get(0)[0] / unclipped.get(0)[0];
        assertTrue(nu < 1, "ν = " + nu + ": the clip should be active");
        assertEquals(kappa, nu * nu * lr * lr * vg, 1e-9 * kappa, "ν²η²Σ⟨∇W, ΔW⟩ = κ");
        for (int p = 0; p < raw.size(); p++) {
            for (int i = 0; i < raw.get(p).length; i++) {
                assertEquals(nu * unclipped.get(p)[i], clipped.get(p)[i], 1e-12 * Math.abs(unclipped.get(p)[i]) + 1e-300);
            }
        }
    }

    @Test
    void misuseIsAnErrorThatSaysWhatIsWrong() {
        Model model = mlp(1);
        CrossEntropy loss = CrossEntropy.mean();
        IllegalArgumentException options = assertThrows(IllegalArgumentException.class,
                () -> Kfac.builder(model, loss).momentum(1.5).skip("conv.*").build());
        assertTrue(options.getMessage().contains("learningRate is required")
                && options.getMessage().contains("momentum must be in [0, 1)")
                && options.getMessage().contains("skip pattern 'conv.*' matches no K-FAC layer"), options.getMessage());

        SplittableRandom rng = new SplittableRandom(2);
        Tensor x = gaussian(rng, N, D);
        int[] y = labels(rng, N);
        Kfac<int[]> kfac = Kfac.builder(model, loss).learningRate(0.1).build();
        ForwardResult uncaptured = model.forward(x, new Pass(Linalg.shared(), true, Captures.NONE));
        uncaptured.backward(loss.evaluate(uncaptured.output(), y).gradient());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> kfac.precondition(uncaptured, y));
        assertTrue(none.getMessage().contains("captured nothing"), none.getMessage());

        Model other = mlp(1); // same architecture, other layer objects: the registered layers record nothing
        ForwardResult foreign = other.forward(x, kfac.trainingPass());
        foreign.backward(loss.evaluate(foreign.output(), y).gradient());
        RegistrationException unused = assertThrows(RegistrationException.class, () -> kfac.precondition(foreign, y));
        assertTrue(unused.getMessage().contains("fc1 is registered"), unused.getMessage());

        ForwardResult f = model.forward(x, kfac.trainingPass());
        f.backward(loss.evaluate(f.output(), y).gradient());
        model.kfacLayers().get(1).weight().grad().set(3, Double.NaN);
        NonFiniteFactorException nan = assertThrows(NonFiniteFactorException.class, () -> kfac.precondition(f, y));
        assertEquals("fc2", nan.layer());
        assertEquals("gradient", nan.what());
    }

    @Test
    void aFactorOverflowIsCaughtBeforeTheDecomposition() {
        SplittableRandom rng = new SplittableRandom(3);
        Model model = new Model("linear", new Linear("fc", D, C, true, DType.F64, rng), DType.F64);
        model.kfacLayers().get(0).weight().value().fill(0); // the output stays finite; A = a aᵀ overflows
        Tensor x = gaussian(rng, N, D);
        x.set(5, 1e200);
        MeanSquaredError loss = MeanSquaredError.mean();
        Tensor y = gaussian(rng, N, C);
        Kfac<Tensor> kfac = Kfac.builder(model, loss).learningRate(0.1).build();
        ForwardResult f = model.forward(x, kfac.trainingPass());
        f.backward(loss.evaluate(f.output(), y).gradient());
        NonFiniteFactorException e = assertThrows(NonFiniteFactorException.class, () -> kfac.precondition(f, y));
        assertEquals("fc", e.layer());
        assertEquals("factor A", e.what());
    }

    @Test
    void theRegistrationTableListsEveryLayerWithItsShapes() {
        Model model = mlp(1);
        CrossEntropy loss = CrossEntropy.mean();
        Kfac<int[]> kfac = Kfac.builder(model, loss).learningRate(0.1).approximation("fc2", Approximation.EXPAND)
                .build();
        String before = kfac.registrationTable();
        assertTrue(before.contains("fc1") && before.contains("auto") && before.contains("8×8")
                && before.contains("expand"), before);
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = gaussian(rng, N, D);
        int[] y = labels(rng, N);
        trainStep(kfac, model, loss, x, y);
        String after = kfac.registrationTable();
        assertTrue(after.lines().filter(l -> l.startsWith("fc1")).findFirst().orElseThrow().contains("reduce"), after);
        assertEquals(2, kfac.diagnostics().size());
        assertTrue(kfac.diagnostics().get(0).eigenvaluesA()[1] > 0, kfac.diagnostics().get(0).toString());
    }

    // ---- helpers

    /** Linear D→10 (bias), tanh, Linear 10→C (bias), float64. */
    static Model mlp(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Model("mlp", new Sequential("mlp", new Linear("fc1", D, 10, true, DType.F64, rng), new Tanh("tanh"),
                new Linear("fc2", 10, C, true, DType.F64, rng)), DType.F64);
    }

    static <Y> void trainStep(Kfac<Y> kfac, Model model, Loss<Y> loss, Tensor x, Y y) {
        ForwardResult f = model.forward(x, kfac.trainingPass());
        kfac.zeroGrad();
        f.backward(loss.evaluate(f.output(), y).gradient());
        kfac.step(f, y);
    }

    static <Y> double gradientNorm(Model model, Loss<Y> loss, Tensor x, Y y) {
        ForwardResult f = model.forward(x, new Pass(Linalg.shared(), true, Captures.NONE));
        model.zeroGrad();
        f.backward(loss.evaluate(f.output(), y).gradient());
        double s = 0;
        for (double[] g : grads(model)) {
            for (double v : g) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    static Tensor gaussian(SplittableRandom rng, int... shape) {
        return Initialisation.normal(Tensor.zeros(DType.F64, shape), 1, rng);
    }

    static int[] labels(SplittableRandom rng, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(C);
        }
        return y;
    }

    static List<double[]> values(Model model) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            out.add(p.value().f64().clone());
        }
        return out;
    }

    static List<double[]> grads(Model model) {
        List<double[]> out = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            out.add(p.grad().f64().clone());
        }
        return out;
    }
}

package org.kfac4j.kfac.laplace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Curvature;
import org.kfac4j.linalg.Cholesky;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.layer.Linear;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.layer.PoolOverPositions;
import org.kfac4j.nn.layer.Sequential;
import org.kfac4j.nn.loss.MeanSquaredError;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Initialisation;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The K-FAC Laplace evidence against its definition: the Kronecker log-determinant against a dense one; the whole
 * log marginal likelihood against a dense block-diagonal Laplace built from Jacobians taken by finite differences,
 * on a deep linear network in the reduce setting where K-FAC-reduce with the exact GGN is exact (Proposition 2);
 * the closed-form gradient against finite differences; and the selected noise on data with known noise.
 */
class LaplaceEvidenceTest {
    private static final Linalg LINALG = Linalg.shared();

    @ParameterizedTest(name = "dOut={0} dIn={1} samples={2} h={3} δ={4}")
    @CsvSource({"1, 1, 2, 10, 0.1", "3, 5, 2, 100, 1", "6, 4, 20, 1000, 0.01", "7, 9, 3, 1, 10"})
    void theKroneckerLogDeterminantIsTheDenseOne(int dOut, int dIn, int samples, double h, double delta) {
        SplittableRandom rng = new SplittableRandom(dOut * 10L + dIn);
        double[] a = psd(dIn, samples, rng);
        double[] g = psd(dOut, samples, rng);
        LaplaceEvidence.Block block = new LaplaceEvidence.Block("l", eigenvalues(a, dIn), eigenvalues(g, dOut), 0);
        LaplaceEvidence evidence = new LaplaceEvidence(List.of(block), LaplaceEvidence.Likelihood.CATEGORICAL, h, 1,
                0);
        double value = evidence.evaluate(new double[] {Math.log(delta)}, 0).logMarginalLikelihood();
        int p = dOut * dIn;
        double logDet = -2 * (value - 0.5 * p * Math.log(delta));
        double[] dense = new double[p * p];
        for (int i = 0; i < dOut; i++) {
            for (int j = 0; j < dIn; j++) {
                for (int k = 0; k < dOut; k++) {
                    for (int l = 0; l < dIn; l++) {
                        dense[(i * dIn + j) * p + k * dIn + l] = h * g[i * dOut + k] * a[j * dIn + l]
                                + (i == k && j == l ? delta : 0);
                    }
                }
            }
        }
        Cholesky cholesky = Cholesky.of(LINALG);
        cholesky.factor(p, dense, 0, p);
        double expected = cholesky.logDeterminant(p, dense, 0, p);
        assertEquals(expected, logDet, 1e-10 * Math.abs(expected) + 1e-10);
    }

    /**
     * Linear 4→3 (bias), Linear 3→2 (bias), mean over R = 3 positions, MSE with noise σ², 20 examples: the K-FAC
     * (reduce, exact GGN) evidence equals the dense block-diagonal Laplace evidence, whose GGN blocks are
     * (1/σ²)Σ_t J_tᵀJ_t with J from central differences (exact here: the output is linear in each parameter).
     */
    @ParameterizedTest(name = "log δ = {0}")
    @ValueSource(doubles = {-3, 0, 2})
    void theEvidenceEqualsADenseBlockDiagonalLaplace(double logDelta) {
        SplittableRandom rng = new SplittableRandom(3);
        Model model = deepLinear(rng);
        Tensor x = Initialisation.normal(Tensor.zeros(DType.F64, 20, 3, 4), 1, rng);
        Tensor y = Initialisation.normal(Tensor.zeros(DType.F64, 20, 2), 1, rng);
        MeanSquaredError loss = MeanSquaredError.mean();
        LaplaceEvidence evidence = LaplaceEvidence.fit(model, loss, List.of(Map.entry(x, y)), Curvature.exactGgn(),
                l -> Approximation.REDUCE, LINALG, 0);
        double logNoise = Math.log(0.7);
        double kfac = evidence.evaluate(new double[] {logDelta}, logNoise).logMarginalLikelihood();

        double noise = 0.7;
        double delta = Math.exp(logDelta);
        Tensor f = forward(model, x);
        double sse = 0;
        for (int i = 0; i < f.size(); i++) {
            sse += Math.pow(f.get(i) - y.get(i), 2);
        }
        double dense = -sse / (2 * noise) - 20 * 2 / 2.0 * Math.log(2 * Math.PI * noise);
        for (KfacLayer layer : model.kfacLayers()) {
            List<Parameter> params = new ArrayList<>(List.of(layer.weight()));
            layer.bias().ifPresent(params::add);
            List<double[]> columns = new ArrayList<>(); // ∂f/∂θ_k over all 20·2 outputs
            double norm = 0;
            for (Parameter p : params) {
                for (int k = 0; k < p.value().size(); k++) {
                    double v = p.value().get(k);
                    norm += v * v;
                    p.value().set(k, v + 1e-3);
                    Tensor up = forward(model, x);
                    p.value().set(k, v - 1e-3);
                    Tensor down = forward(model, x);
                    p.value().set(k, v);
                    double[] column = new double[up.size()];
                    for (int i = 0; i < column.length; i++) {
                        column[i] = (up.get(i) - down.get(i)) / 2e-3;
                    }
                    columns.add(column);
                }
            }
            int n = columns.size();
            double[] block = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int t = 0; t < columns.get(i).length; t++) {
                        s += columns.get(i)[t] * columns.get(j)[t];
                    }
                    block[i * n + j] = s / noise + (i == j ? delta : 0);
                }
            }
            Cholesky cholesky = Cholesky.of(LINALG);
            cholesky.factor(n, block, 0, n);
            dense += -0.5 * cholesky.logDeterminant(n, block, 0, n) + 0.5 * n * logDelta - 0.5 * delta * norm;
        }
        assertEquals(dense, kfac, 1e-8 * Math.abs(dense), "K-FAC evidence vs the dense block-diagonal Laplace");
    }

    /** The closed-form gradient against central differences of the evidence, per-layer priors and the noise. */
    @Test
    void theGradientIsTheDerivative() {
        LaplaceEvidence evidence = deepLinearEvidence(5, 30, 1);
        double[] logPrior = {-1.5, 0.8};
        double logNoise = -0.4;
        LaplaceEvidence.Evaluation e = evidence.evaluate(logPrior, logNoise);
        double step = 1e-5;
        for (int l = 0; l < 2; l++) {
            double[] up = logPrior.clone();
            double[] down = logPrior.clone();
            up[l] += step;
            down[l] -= step;
            double fd = (evidence.evaluate(up, logNoise).logMarginalLikelihood()
                    - evidence.evaluate(down, logNoise).logMarginalLikelihood()) / (2 * step);
            assertEquals(fd, e.logPriorGradient()[l], 1e-6 * Math.max(1, Math.abs(fd)), "∂/∂ log δ_" + l);
        }
        double fd = (evidence.evaluate(logPrior, logNoise + step).logMarginalLikelihood()
                - evidence.evaluate(logPrior, logNoise - step).logMarginalLikelihood()) / (2 * step);
        assertEquals(fd, e.logNoiseGradient(), 1e-6 * Math.max(1, Math.abs(fd)), "∂/∂ log σ²");
    }

    /**
     * The selected shared prior precision is the evidence's maximum: a zero of the gradient, above its neighbours; and
     * evidence fitted on a batch, scaled to twice its terms, is the evidence of the batch taken twice.
     */
    @Test
    void theBestPriorPrecisionMaximisesTheEvidence() {
        LaplaceEvidence once = deepLinearEvidence(7, 25, 1);
        LaplaceEvidence twice = deepLinearEvidence(7, 25, 2);
        LaplaceEvidence scaled = once.scaledTo(2 * once.terms());
        assertEquals(twice.evaluate(new double[] {0.3}, -0.2).logMarginalLikelihood(),
                scaled.evaluate(new double[] {0.3}, -0.2).logMarginalLikelihood(), 1e-9);
        double best = once.bestLogPriorPrecision(-0.2);
        LaplaceEvidence.Evaluation at = once.evaluate(new double[] {best}, -0.2);
        assertEquals(0, at.logPriorGradient()[0], 1e-6);
        for (double offset : new double[] {-0.1, 0.1}) {
            assertTrue(once.evaluate(new double[] {best + offset}, -0.2).logMarginalLikelihood()
                    < at.logMarginalLikelihood(), "offset " + offset);
        }
    }

    /**
     * y = Xw + ε with σ = 0.3, 1000 examples, 5 features, a linear model at its least-squares fit: maximising the
     * evidence over (log δ, log σ²) by alternating bisections on the gradient's zeros lands within 10% of σ = 0.3
     * (seeds 1, 2, 3; the estimate's own spread is about 1/√(2N) ≈ 2%).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void theSelectedNoiseIsNearTheTruth(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1000;
        int d = 5;
        Tensor x = Initialisation.normal(Tensor.zeros(DType.F64, n, d), 1, rng);
        double[] w = {1.5, -2, 0.5, 0, 1};
        Tensor y = Tensor.zeros(DType.F64, n, 1);
        for (int i = 0; i < n; i++) {
            double s = 0.7;
            for (int j = 0; j < d; j++) {
                s += x.get(i * d + j) * w[j];
            }
            y.set(i, s + 0.3 * rng.nextGaussian());
        }
        Linear fc = new Linear("fc", d, 1, true, DType.F64, rng);
        Model model = new Model("linear", fc, DType.F64);
        leastSquares(fc, x, y, n, d);
        LaplaceEvidence evidence = LaplaceEvidence.fit(model, MeanSquaredError.mean(), List.of(Map.entry(x, y)),
                Curvature.exactGgn(), l -> Approximation.REDUCE, LINALG, 0);
        double logPrior = 0;
        double logNoise = 0;
        for (int round = 0; round < 30; round++) {
            double prior = logPrior;
            logNoise = zero(v -> evidence.evaluate(new double[] {prior}, v).logNoiseGradient(), -12, 6);
            double noise = logNoise;
            logPrior = zero(v -> evidence.evaluate(new double[] {v}, noise).logPriorGradient()[0], -12, 12);
        }
        double sigma = Math.sqrt(Math.exp(logNoise));
        assertTrue(Math.abs(sigma - 0.3) <= 0.03, "selected σ = " + sigma + " (seed " + seed + ")");
    }

    /** The zero of a decreasing function on [lo, hi] by bisection. */
    private static double zero(java.util.function.DoubleUnaryOperator f, double lo, double hi) {
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (f.applyAsDouble(mid) > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** The least-squares weights of y ≈ [x | 1]·[w; b] by the normal equations (Cholesky). */
    private static void leastSquares(Linear fc, Tensor x, Tensor y, int n, int d) {
        int q = d + 1;
        double[] m = new double[q * q];
        double[] r = new double[q];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < q; j++) {
                double xj = j < d ? x.get(i * d + j) : 1;
                r[j] += xj * y.get(i);
                for (int k = 0; k < q; k++) {
                    m[j * q + k] += xj * (k < d ? x.get(i * d + k) : 1);
                }
            }
        }
        Cholesky cholesky = Cholesky.of(LINALG);
        cholesky.factor(q, m, 0, q);
        cholesky.solve(q, 1, m, 0, q, r, 0, 1);
        for (int j = 0; j < d; j++) {
            fc.weight().value().set(j, r[j]);
        }
        fc.bias().orElseThrow().value().set(0, r[d]);
    }

    /** The exact-GGN reduce evidence of {@link #deepLinear} on n random examples, the batch given {@code copies} times. */
    private static LaplaceEvidence deepLinearEvidence(long seed, int n, int copies) {
        SplittableRandom rng = new SplittableRandom(seed);
        Model model = deepLinear(rng);
        Tensor x = Initialisation.normal(Tensor.zeros(DType.F64, n, 3, 4), 1, rng);
        Tensor y = Initialisation.normal(Tensor.zeros(DType.F64, n, 2), 1, rng);
        return LaplaceEvidence.fit(model, MeanSquaredError.mean(), Collections.nCopies(copies,
                Map.entry(x, y)), Curvature.exactGgn(), l -> Approximation.REDUCE, LINALG, 0);
    }

    private static Model deepLinear(SplittableRandom rng) {
        return new Model("deep-linear", new Sequential("net", new Linear("fc1", 4, 3, true, DType.F64, rng),
                new Linear("fc2", 3, 2, true, DType.F64, rng),
                new PoolOverPositions("pool", PoolOverPositions.Mode.MEAN)), DType.F64);
    }

    private static Tensor forward(Model model, Tensor x) {
        return model.forward(x, new Pass(LINALG, false, Captures.NONE)).output();
    }

    private static double[] psd(int n, int samples, SplittableRandom rng) {
        double[] f = new double[n * n];
        for (int s = 0; s < samples; s++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    f[i * n + j] += v[i] * v[j] / samples;
                }
            }
        }
        return f;
    }

    private static double[] eigenvalues(double[] f, int n) {
        double[] values = new double[n];
        SymmetricEigen.of(LINALG).eigenvalues(n, f.clone(), 0, n, values, 0);
        return values;
    }
}

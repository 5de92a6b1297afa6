package org.kfac4j.kfac.laplace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.kfac.Curvature;
import org.kfac4j.kfac.KroneckerFactors;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.SymmetricEigen;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.loss.CrossEntropy;
import org.kfac4j.nn.loss.Loss;
import org.kfac4j.nn.loss.MeanSquaredError;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * The Laplace approximation's log marginal likelihood (evidence) of a trained model with a K-FAC GGN, over the
 * parameters of its K-FAC layers (a block-diagonal Laplace: one block per layer, weight and bias together; other
 * parameters, such as normalisation layers', stay at their MAP values):
 * <pre>
 *   log p(D) ≈ log p(D | θ*) − ½ Σ_l log det(H_l + δ_l I) + ½ Σ_l P_l log δ_l − ½ Σ_l δ_l ‖θ*_l‖²,
 *   log det(H_l + δ_l I) = Σ_{i,j} log(h·λ_G,i·λ_A,j + δ_l),
 * </pre>
 * with {@code H_l = h·(G_l ⊗ A_l)} the GGN of the summed negative log likelihood: the factors are data averages
 * ({@code kfac-math.md}'s 1/Z scaling), so {@code h = Z} for the categorical likelihood and {@code h = Z/σ²} for the
 * Gaussian one (MSE with observation noise σ²), Z the number of loss terms in the data; δ_l the prior precision of
 * layer l (P_l parameters). The 2π of prior and posterior cancel. Immutable; {@link #evaluate} gives the value and
 * its gradient with respect to the log prior precisions and the log noise variance in closed form.
 */
public final class LaplaceEvidence {
    /** The likelihood whose GGN the factors approximate. */
    public enum Likelihood {
        /** Softmax cross-entropy: {@code log p(D|θ) = −Σ_t ℓ_t}. */
        CATEGORICAL,
        /** Gaussian with noise variance σ² over C outputs: {@code log p(D|θ) = −SSE/(2σ²) − (Z·C/2) log(2πσ²)}. */
        GAUSSIAN
    }

    /**
     * One layer's block: the eigenvalues of its data-averaged factors and its parameters' squared norm at θ*.
     *
     * @param layer                the layer's name
     * @param eigenvaluesA         λ_A (negative rounding clamped to 0 by {@link #evaluate})
     * @param eigenvaluesG         λ_G
     * @param parameterNormSquared ‖θ*_l‖², weight and bias
     */
    public record Block(String layer, double[] eigenvaluesA, double[] eigenvaluesG, double parameterNormSquared) {
        public Block {
            eigenvaluesA = eigenvaluesA.clone();
            eigenvaluesG = eigenvaluesG.clone();
        }

        /** P_l = D_out · D_in'. */
        public int parameters() {
            return eigenvaluesA.length * eigenvaluesG.length;
        }
    }

    /**
     * The value and gradient of the log marginal likelihood.
     *
     * @param logMarginalLikelihood the approximation above
     * @param logLikelihood         log p(D | θ*) at the noise evaluated
     * @param logPriorGradient      ∂/∂ log δ_l, one entry per prior precision given
     * @param logNoiseGradient      ∂/∂ log σ² (0 for the categorical likelihood)
     */
    public record Evaluation(double logMarginalLikelihood, double logLikelihood, double[] logPriorGradient,
                             double logNoiseGradient) {
    }

    private final List<Block> blocks;
    private final Likelihood likelihood;
    private final double terms;
    private final double outputs;
    private final double dataFit;

    /**
     * The evidence of a fit: {@code dataFit} is the summed negative log likelihood Σ_t ℓ_t for the categorical
     * likelihood, the sum of squared errors Σ_t ‖f_t − y_t‖² for the Gaussian one; {@code terms} is Z and
     * {@code outputs} C (read for the Gaussian likelihood only).
     */
    public LaplaceEvidence(List<Block> blocks, Likelihood likelihood, double terms, int outputs, double dataFit) {
        this.blocks = List.copyOf(blocks);
        this.likelihood = Objects.requireNonNull(likelihood, "likelihood");
        if (this.blocks.isEmpty()) {
            throw new IllegalArgumentException("no K-FAC layer to build the Laplace approximation over");
        }
        if (!(terms > 0) || !(dataFit >= 0) || Double.isInfinite(dataFit) || outputs < 1) {
            throw new IllegalArgumentException("need terms > 0, outputs >= 1 and a finite data fit >= 0, got " + terms
                    + ", " + outputs + ", " + dataFit);
        }
        this.terms = terms;
        this.outputs = outputs;
        this.dataFit = dataFit;
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** Z, the loss terms the curvature and the data fit stand for. */
    public double terms() {
        return terms;
    }

    /**
     * The evidence of {@code dataTerms} terms like these: factors fitted on a subset of the data are estimates of the
     * data averages, so only the curvature's and the data fit's scale change with the data's size.
     */
    public LaplaceEvidence scaledTo(double dataTerms) {
        return new LaplaceEvidence(blocks, likelihood, dataTerms, (int) outputs, dataFit * dataTerms / terms);
    }

    /**
     * The log of the one prior precision shared by all blocks that maximises the evidence at {@code logNoiseVariance}:
     * the evidence is concave in log δ (its derivative, −½Σ δ/(hλλ + δ) + ½P − ½δ‖θ‖², decreases), so the zero of the
     * gradient is found by bisection, in [−30, 30].
     */
    public double bestLogPriorPrecision(double logNoiseVariance) {
        double lo = -30;
        double hi = 30;
        for (int i = 0; i < 200 && hi - lo > 1e-12; i++) {
            double mid = (lo + hi) / 2;
            if (evaluate(new double[] {mid}, logNoiseVariance).logPriorGradient()[0] > 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /**
     * The log marginal likelihood and its gradient at prior precisions {@code exp(logPriorPrecision)} — one per block,
     * or a single one shared by all — and noise variance {@code exp(logNoiseVariance)} (Gaussian only).
     */
    public Evaluation evaluate(double[] logPriorPrecision, double logNoiseVariance) {
        boolean shared = logPriorPrecision.length == 1;
        if (!shared && logPriorPrecision.length != blocks.size()) {
            throw new IllegalArgumentException("need 1 or " + blocks.size() + " log prior precisions, got "
                    + logPriorPrecision.length);
        }
        boolean gaussian = likelihood == Likelihood.GAUSSIAN;
        double noise = gaussian ? Math.exp(logNoiseVariance) : 1;
        double h = terms / noise;
        double logLikelihood = gaussian
                ? -dataFit / (2 * noise) - terms * outputs / 2 * (Math.log(2 * Math.PI) + logNoiseVariance)
                : -dataFit;
        double value = logLikelihood;
        double[] priorGradient = new double[logPriorPrecision.length];
        double noiseGradient = gaussian ? dataFit / (2 * noise) - terms * outputs / 2 : 0;
        for (int l = 0; l < blocks.size(); l++) {
            Block b = blocks.get(l);
            double delta = Math.exp(logPriorPrecision[shared ? 0 : l]);
            double logDet = 0;
            double dampingShare = 0; // Σ δ/(hλλ + δ) = ∂ log det / ∂ log δ
            for (double lg : b.eigenvaluesG()) {
                for (double la : b.eigenvaluesA()) {
                    double curvature = h * Math.max(0, lg) * Math.max(0, la);
                    double total = curvature + delta;
                    logDet += Math.log(total);
                    dampingShare += delta / total;
                }
            }
            int p = b.parameters();
            value += -0.5 * logDet + 0.5 * p * Math.log(delta) - 0.5 * delta * b.parameterNormSquared();
            priorGradient[shared ? 0 : l] += -0.5 * dampingShare + 0.5 * p - 0.5 * delta * b.parameterNormSquared();
            // ∂ log(hλλ + δ)/∂ log σ² = −hλλ/(hλλ + δ): the curvature share, P_l minus the damping share
            noiseGradient += gaussian ? 0.5 * (p - dampingShare) : 0;
        }
        return new Evaluation(value, logLikelihood, priorGradient, noiseGradient);
    }

    /**
     * The evidence of {@code model} at its current weights over {@code data}: the K-FAC factors of every K-FAC layer
     * averaged over the batches (each weighted by its share of the loss terms), eigendecomposed in double, and the
     * summed data fit. {@code loss} must be {@link CrossEntropy} or {@link MeanSquaredError} with a mean reduction.
     *
     * @param curvature     the GGN estimate (exact GGN, Monte-Carlo Fisher; the empirical Fisher is no GGN)
     * @param approximation expand or reduce per layer
     * @param seed          drives Monte-Carlo sampling (batch b uses seed + b)
     */
    public static <Y> LaplaceEvidence fit(Model model, Loss<Y> loss, Iterable<Map.Entry<Tensor, Y>> data,
                                          Curvature curvature, Function<KfacLayer, Approximation> approximation,
                                          Linalg linalg, long seed) {
        Likelihood likelihood = switch (loss) {
            case CrossEntropy c -> Likelihood.CATEGORICAL;
            case MeanSquaredError m -> Likelihood.GAUSSIAN;
            default -> throw new IllegalArgumentException("the Laplace evidence needs cross-entropy or MSE, got "
                    + loss.getClass().getSimpleName());
        };
        if (curvature.type() == Curvature.Type.EMPIRICAL) {
            throw new IllegalArgumentException("the empirical Fisher is not a GGN: use exactGgn() or monteCarlo(k)");
        }
        Map<KfacLayer, double[][]> sums = new LinkedHashMap<>();
        double terms = 0;
        double fit = 0;
        int outputs = 0;
        long batch = 0;
        for (Map.Entry<Tensor, Y> e : data) {
            Tensor output = model.forward(e.getKey(), new Pass(linalg, false, Captures.NONE)).output();
            double z = loss.terms(output);
            double summed = loss.evaluate(output, e.getValue()).value() * loss.normaliser(output); // Σ_t ℓ_t
            fit += likelihood == Likelihood.GAUSSIAN ? 2 * summed : summed; // ℓ = ½‖f − y‖²: SSE = 2Σℓ
            outputs = output.dim(-1);
            Map<KfacLayer, KroneckerFactors> factors = KroneckerFactors.ofBatch(model,
                    new Pass(linalg, false, Captures.create()), e.getKey(), loss, e.getValue(), curvature,
                    approximation, seed + batch++);
            for (Map.Entry<KfacLayer, KroneckerFactors> f : factors.entrySet()) {
                double[][] s = sums.computeIfAbsent(f.getKey(), k -> new double[][] {
                        new double[f.getValue().a().size()], new double[f.getValue().g().size()]});
                addScaled(s[0], f.getValue().a(), z);
                addScaled(s[1], f.getValue().g(), z);
            }
            terms += z;
        }
        if (terms == 0) {
            throw new IllegalArgumentException("no data to fit the Laplace approximation to");
        }
        SymmetricEigen eigen = SymmetricEigen.of(linalg);
        List<Block> blocks = new ArrayList<>();
        for (Map.Entry<KfacLayer, double[][]> e : sums.entrySet()) {
            KfacLayer layer = e.getKey();
            blocks.add(new Block(layer.name(), eigenvalues(eigen, e.getValue()[0], terms),
                    eigenvalues(eigen, e.getValue()[1], terms), normSquared(layer)));
        }
        return new LaplaceEvidence(blocks, likelihood, terms, outputs, fit);
    }

    private static void addScaled(double[] sum, Tensor f, double weight) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += weight * f.get(i);
        }
    }

    private static double[] eigenvalues(SymmetricEigen eigen, double[] sum, double total) {
        int n = (int) Math.round(Math.sqrt(sum.length));
        double[] f = new double[sum.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = sum[i] / total;
        }
        double[] values = new double[n];
        eigen.eigenvalues(n, f, 0, n, values, 0);
        return values;
    }

    private static double normSquared(KfacLayer layer) {
        double s = 0;
        List<Parameter> parameters = new ArrayList<>();
        parameters.add(layer.weight());
        layer.bias().ifPresent(parameters::add);
        for (Parameter p : parameters) {
            Tensor v = p.value();
            for (int i = 0; i < v.size(); i++) {
                s += v.get(i) * v.get(i);
            }
        }
        return s;
    }
}

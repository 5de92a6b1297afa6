package org.kfac4j.kfac;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.kfac4j.kfac.factor.BatchTerm;
import org.kfac4j.kfac.factor.FactorAccumulator;
import org.kfac4j.kfac.factor.GradientPasses;
import org.kfac4j.kfac.inverse.FactorInverse;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.loss.Loss;
import org.kfac4j.nn.model.ForwardResult;
import org.kfac4j.nn.model.Model;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A layer's Kronecker factors {@code A} ({@code D_in' × D_in'}, D_in' = D_in + 1 with a bias) and {@code G}
 * ({@code D_out × D_out}) under an approximation, and the moving average that refreshes them
 * ({@code F ← ρ F + (1 − ρ) F_batch}; the first refresh takes {@code F_batch} alone).
 */
public final class KroneckerFactors {
    private final KfacLayer layer;
    private final Approximation approximation;
    private final Tensor a;
    private final Tensor g;
    private long updates;

    /** Zero factors for {@code layer} in {@code dtype}. */
    public KroneckerFactors(KfacLayer layer, Approximation approximation, DType dtype) {
        this.layer = layer;
        this.approximation = approximation;
        int dIn = layer.inputDim() + (layer.bias().isPresent() ? 1 : 0);
        this.a = Tensor.zeros(dtype, dIn, dIn);
        this.g = Tensor.zeros(dtype, layer.outputDim(), layer.outputDim());
    }

    public KfacLayer layer() {
        return layer;
    }

    public Approximation approximation() {
        return approximation;
    }

    /** The input factor (a live view: refreshed in place). */
    public Tensor a() {
        return a;
    }

    /** The output-gradient factor (a live view: refreshed in place). */
    public Tensor g() {
        return g;
    }

    /** How many refreshes the moving averages hold. */
    public long updates() {
        return updates;
    }

    /**
     * Folds one batch into the moving averages with decay {@code rho}: inputs from the forward pass, output gradients
     * from {@code passes} (see {@link GradientPasses}).
     */
    public void update(Linalg linalg, Captures captures, GradientPasses passes, double rho) {
        fold(linalg, terms(linalg, captures, passes), rho, true, true);
    }

    /**
     * Folds one batch in for {@code inverse}: the batch terms go to the inverse first (it may choose how to track each
     * factor, and track it online), only the factors it reads are formed, and the terms of the others are checked for
     * NaN, Inf and overflow as a formed factor is at decomposition.
     *
     * @throws NonFiniteFactorException naming the layer, for a non-finite batch term of a factor tracked online
     */
    public void update(Linalg linalg, Captures captures, GradientPasses passes, double rho, FactorInverse inverse) {
        Terms terms = terms(linalg, captures, passes);
        inverse.prepare(terms.a(), terms.g());
        if (!inverse.readsA()) {
            requireFinite("input batch term", terms.a());
        }
        if (!inverse.readsG()) {
            requireFinite("output-gradient batch term", terms.g());
        }
        double effective = fold(linalg, terms, rho, inverse.readsA(), inverse.readsG());
        inverse.observe(terms.a(), terms.g(), effective);
    }

    /** Every entry of {@code term} finite, and so its contribution {@code s·‖X‖²} to the factor's trace. */
    private void requireFinite(String what, BatchTerm term) {
        int[] bad = term.firstNonFinite();
        if (bad == null && !Double.isFinite(term.trace())) {
            bad = term.largestMagnitude();
            what += " (its squared norm overflows; largest entry)";
        }
        if (bad != null) {
            Tensor block = term.blocks().get(bad[0]);
            int cols = block.dim(-1);
            throw new NonFiniteFactorException(layer.name(), what + " (block " + bad[0] + ")", bad[1] / cols,
                    bad[1] % cols, block.get(bad[1]));
        }
    }

    /** This batch's terms of A and G in low-rank form (see {@link BatchTerm}), not yet folded in. */
    public Terms terms(Linalg linalg, Captures captures, GradientPasses passes) {
        return new Terms(FactorAccumulator.inputTerm(linalg, captures.of(layer), approximation),
                FactorAccumulator.gradientTerm(linalg, captures.of(layer), approximation, passes));
    }

    /**
     * Folds {@code terms} into the moving averages with decay {@code rho} (the first refresh takes the batch alone),
     * forming A and G only where asked: an inverse that tracks a factor online never reads the formed matrix, and
     * skipping it saves the O(d²·rows) accumulation. Returns the decay in effect (0 at the first refresh).
     */
    public double fold(Linalg linalg, Terms terms, double rho, boolean formA, boolean formG) {
        double effective = updates == 0 ? 0 : rho;
        if (formA) {
            FactorAccumulator.fold(linalg, terms.a(), effective, a);
        }
        if (formG) {
            FactorAccumulator.fold(linalg, terms.g(), effective, g);
        }
        updates++;
        return effective;
    }

    /** One batch's terms of the input factor A and the output-gradient factor G. */
    public record Terms(BatchTerm a, BatchTerm g) {
    }

    /** Sets the number of refreshes (restoring a checkpoint). */
    void restoreUpdates(long count) {
        updates = count;
    }

    /**
     * One batch's factors for every K-FAC layer of {@code model}, computed in the model's precision by the same
     * pipeline the optimiser uses: a capturing forward pass, the backward passes of {@code curvature} (for the
     * empirical Fisher, one from the observed targets' loss gradient), and the accumulation. No parameter gradient
     * is touched. {@code seed} drives Monte-Carlo sampling.
     */
    public static <Y> Map<KfacLayer, KroneckerFactors> ofBatch(Model model, Pass pass, Tensor input, Loss<Y> loss,
                                                               Y targets, Curvature curvature,
                                                               Function<KfacLayer, Approximation> approximation,
                                                               long seed) {
        Captures captures = pass.captures();
        if (!captures.enabled()) {
            throw new IllegalArgumentException("ofBatch needs a capturing pass (Captures.create())");
        }
        ForwardResult forward = model.forward(input, pass);
        if (curvature.type() == Curvature.Type.EMPIRICAL) {
            forward.backwardCaptureOnly(loss.evaluate(forward.output(), targets).gradient());
        }
        GradientPasses passes = CurvatureBackward.run(forward, loss, curvature, new SplittableRandom(seed));
        Map<KfacLayer, KroneckerFactors> out = new LinkedHashMap<>();
        for (KfacLayer layer : model.kfacLayers()) {
            KroneckerFactors f = new KroneckerFactors(layer, approximation.apply(layer), model.dtype());
            f.update(pass.linalg(), captures, passes, 0);
            out.put(layer, f);
        }
        return out;
    }
}

package org.kfac4j.kfac.factor;

import java.util.ArrayList;
import java.util.List;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.FactorRows;
import org.kfac4j.nn.capture.LayerCapture;
import org.kfac4j.nn.tensor.Tensor;

/**
 * One batch's Kronecker factors of a layer, formed from its captures by the definitions of {@code kfac-math.md} and
 * folded into the layer's moving averages by the fused SYRK {@code F ← ρ·F + (1 − ρ)·s·XᵀX} (ρ = 0 overwrites).
 *
 * <p>A layer called several times in one forward pass (weight tying) shares its weight over the positions of every
 * call: expand takes all calls' rows as one set, reduce averages (inputs) or sums (gradients) an example's positions
 * over all calls.
 *
 * <p>Deterministic: SYRK is bitwise the same for every thread count, and each per-example sum is taken by one thread
 * in a fixed order.
 */
public final class FactorAccumulator {
    private FactorAccumulator() {
    }

    /**
     * {@code A ← ρ·A + (1 − ρ)·A_batch} with A_batch from {@link #inputTerm}.
     */
    public static void accumulateInput(Linalg linalg, LayerCapture capture, Approximation approximation, double rho,
                                       Tensor a) {
        fold(linalg, inputTerm(linalg, capture, approximation), rho, a);
    }

    /**
     * {@code G ← ρ·G + (1 − ρ)·G_batch} with G_batch from {@link #gradientTerm}.
     */
    public static void accumulateGradient(Linalg linalg, LayerCapture capture, Approximation approximation,
                                          GradientPasses passes, double rho, Tensor g) {
        fold(linalg, gradientTerm(linalg, capture, approximation, passes), rho, g);
    }

    /**
     * {@code F ← ρ·F + (1 − ρ)·F_batch}, one fused SYRK per block of the term — for a convolution's input, its Gram
     * matrix formed from the image ({@link FactorRows#addGram}) — (ρ = 0 overwrites F).
     */
    public static void fold(Linalg linalg, BatchTerm term, double rho, Tensor f) {
        if (term.dim() != f.dim(0) || term.dtype() != f.dtype()) {
            throw new IllegalStateException("factor " + f + " cannot accumulate " + term.dtype() + " rows of width "
                    + term.dim());
        }
        term.addGram(linalg, (1 - rho) * term.scale(), rho, f);
    }

    /**
     * The input factor's batch term; expand: {@code A_batch = (1/T) Σ ã ãᵀ} over the T rows of all calls (the
     * captures themselves, no copy); reduce: {@code A_batch = (1/N) Σ_n â_n â_nᵀ}, {@code â_n} the mean of example
     * n's rows.
     */
    public static BatchTerm inputTerm(Linalg linalg, LayerCapture capture, Approximation approximation) {
        List<FactorRows> inputs = capture.inputRows();
        if (approximation == Approximation.EXPAND) {
            long total = 0;
            for (FactorRows x : inputs) {
                total += x.count();
            }
            return BatchTerm.of(inputs, 1.0 / total);
        }
        int examples = examples(capture);
        Tensor means = Tensor.zeros(inputs.get(0).dtype(), examples, inputs.get(0).width());
        int[] positions = new int[examples];
        for (int call = 0; call < inputs.size(); call++) {
            int[] segments = capture.segments(call);
            for (int n = 0; n < examples; n++) {
                positions[n] += segments[n + 1] - segments[n];
            }
        }
        for (FactorRows x : inputs) {
            x.addExampleSums(linalg, means, 0);
        }
        for (int n = 0; n < examples; n++) {
            if (positions[n] > 0) {
                scaleRow(means, n, 1.0 / positions[n]);
            }
        }
        return new BatchTerm(List.of(means), 1.0 / examples);
    }

    /**
     * The output-gradient factor's batch term from the output gradients of {@code passes}; expand: {@code G_batch =
     * s Σ_passes Σ_rows g gᵀ} (the captures themselves); reduce: {@code G_batch = s Σ_passes Σ_n ĝ_n ĝ_nᵀ},
     * {@code ĝ_n} the sum of example n's rows (s = {@link GradientPasses#scale()}).
     */
    public static BatchTerm gradientTerm(Linalg linalg, LayerCapture capture, Approximation approximation,
                                         GradientPasses passes) {
        if (approximation == Approximation.EXPAND) {
            List<Tensor> blocks = new ArrayList<>();
            for (int p = passes.first(); p < passes.first() + passes.count(); p++) {
                blocks.addAll(capture.outputGradients(p));
            }
            return new BatchTerm(blocks, passes.scale());
        }
        int examples = examples(capture);
        Tensor first = capture.outputGradients(passes.first()).get(0);
        Tensor sums = first.zeros(passes.count() * examples, first.dim(-1));
        for (int p = 0; p < passes.count(); p++) {
            for (int call = 0; call < capture.calls(); call++) {
                Tensor g = capture.outputGradient(passes.first() + p, call);
                FactorRows.of(g, capture.segments(call)).addExampleSums(linalg, sums, p * examples);
            }
        }
        return new BatchTerm(List.of(sums), passes.scale());
    }

    /** The number of examples, the same in every call (an error naming the layer otherwise). */
    private static int examples(LayerCapture capture) {
        int examples = capture.segments(0).length - 1;
        for (int call = 1; call < capture.calls(); call++) {
            if (capture.segments(call).length - 1 != examples) {
                throw new IllegalStateException(capture.layer().name() + ": call " + call + " saw "
                        + (capture.segments(call).length - 1) + " examples, call 0 saw " + examples);
            }
        }
        return examples;
    }

    private static void scaleRow(Tensor t, int row, double s) {
        int d = t.dim(1);
        for (int j = row * d; j < (row + 1) * d; j++) {
            t.set(j, t.get(j) * s);
        }
    }
}

package org.kfac4j.kfac.factor;

import java.util.List;
import org.kfac4j.kfac.Approximation;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.capture.LayerCapture;
import org.kfac4j.nn.tensor.DType;
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
    /** Examples summed per parallel task: enough rows that a task outweighs its dispatch. */
    private static final int EXAMPLES_PER_TASK = 8;

    private FactorAccumulator() {
    }

    /**
     * {@code A ← ρ·A + (1 − ρ)·A_batch}; expand: {@code A_batch = (1/T) Σ ã ãᵀ} over the T rows of all calls; reduce:
     * {@code A_batch = (1/N) Σ_n â_n â_nᵀ}, {@code â_n} the mean of example n's rows.
     */
    public static void accumulateInput(Linalg linalg, LayerCapture capture, Approximation approximation, double rho,
                                       Tensor a) {
        List<Tensor> inputs = capture.inputs();
        int d = a.dim(0);
        if (approximation == Approximation.EXPAND) {
            long total = 0;
            for (Tensor x : inputs) {
                total += x.rows();
            }
            double alpha = (1 - rho) / total;
            for (int call = 0; call < inputs.size(); call++) {
                Tensor x = inputs.get(call);
                syrk(linalg, x, x.rows(), alpha, call == 0 ? rho : 1, a);
            }
            return;
        }
        int examples = examples(capture);
        Tensor means = a.zeros(examples, d);
        int[] positions = new int[examples];
        for (int call = 0; call < inputs.size(); call++) {
            int[] segments = capture.segments(call);
            for (int n = 0; n < examples; n++) {
                positions[n] += segments[n + 1] - segments[n];
            }
        }
        sumPerExample(linalg, inputs, capture, means, 0);
        for (int n = 0; n < examples; n++) {
            if (positions[n] > 0) {
                scaleRow(means, n, 1.0 / positions[n]);
            }
        }
        syrk(linalg, means, examples, (1 - rho) / examples, rho, a);
    }

    /**
     * {@code G ← ρ·G + (1 − ρ)·G_batch} from the output gradients of {@code passes}; expand: {@code G_batch =
     * s Σ_passes Σ_rows g gᵀ}; reduce: {@code G_batch = s Σ_passes Σ_n ĝ_n ĝ_nᵀ}, {@code ĝ_n} the sum of example n's
     * rows (s = {@link GradientPasses#scale()}).
     */
    public static void accumulateGradient(Linalg linalg, LayerCapture capture, Approximation approximation,
                                          GradientPasses passes, double rho, Tensor g) {
        int d = g.dim(0);
        double alpha = (1 - rho) * passes.scale();
        if (approximation == Approximation.EXPAND) {
            boolean first = true;
            for (int p = passes.first(); p < passes.first() + passes.count(); p++) {
                for (Tensor x : capture.outputGradients(p)) {
                    syrk(linalg, x, x.rows(), alpha, first ? rho : 1, g);
                    first = false;
                }
            }
            return;
        }
        int examples = examples(capture);
        Tensor sums = g.zeros(passes.count() * examples, d);
        for (int p = 0; p < passes.count(); p++) {
            sumPerExample(linalg, capture.outputGradients(passes.first() + p), capture, sums, p * examples);
        }
        syrk(linalg, sums, sums.dim(0), alpha, rho, g);
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

    /** Row {@code rowOffset + n} of {@code out} ← Σ of example n's rows over all calls of {@code tensors}. */
    private static void sumPerExample(Linalg linalg, List<Tensor> tensors, LayerCapture capture, Tensor out,
                                      int rowOffset) {
        int examples = capture.segments(0).length - 1;
        int[][] segments = new int[tensors.size()][];
        for (int call = 0; call < segments.length; call++) {
            segments[call] = capture.segments(call);
        }
        int d = out.dim(1);
        linalg.parallelFor(examples, EXAMPLES_PER_TASK, (from, to) -> {
            for (int n = from; n < to; n++) {
                int dst = (rowOffset + n) * d;
                for (int call = 0; call < segments.length; call++) {
                    Tensor x = tensors.get(call);
                    int first = segments[call][n];
                    int rows = segments[call][n + 1] - first;
                    if (out.dtype() == DType.F32) {
                        linalg.saddRows(rows, d, x.f32(), first * d, d, out.f32(), dst);
                    } else {
                        linalg.daddRows(rows, d, x.f64(), first * d, d, out.f64(), dst);
                    }
                }
            }
        });
    }

    private static void scaleRow(Tensor t, int row, double s) {
        int d = t.dim(1);
        for (int j = row * d; j < (row + 1) * d; j++) {
            t.set(j, t.get(j) * s);
        }
    }

    /** {@code C ← β·C + α·XᵀX} for X the first {@code rows} rows of {@code x} (row length = C's order). */
    private static void syrk(Linalg linalg, Tensor x, int rows, double alpha, double beta, Tensor c) {
        int d = c.dim(0);
        if (x.dtype() != c.dtype() || x.dim(-1) != d) {
            throw new IllegalStateException("factor " + c + " cannot accumulate rows of " + x);
        }
        if (c.dtype() == DType.F32) {
            linalg.ssyrk(Transpose.T, d, rows, (float) alpha, x.f32(), 0, d, (float) beta, c.f32(), 0, d);
        } else {
            linalg.dsyrk(Transpose.T, d, rows, alpha, x.f64(), 0, d, beta, c.f64(), 0, d);
        }
    }
}

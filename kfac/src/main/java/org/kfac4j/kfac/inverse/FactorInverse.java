package org.kfac4j.kfac.inverse;

import java.util.Map;
import org.kfac4j.nn.tensor.Tensor;

/**
 * What a layer keeps of its Kronecker factors between inverse updates, and how it applies the damped inverse
 * {@code (G ⊗ A + damping)⁻¹} to a gradient. Refreshed every {@code T_inv} steps from the moving-average factors;
 * applied every step. Implementations are not thread-safe (one per layer, used by one thread at a time).
 */
public sealed interface FactorInverse permits EigenInverse, CholeskyInverse {
    /**
     * Recomputes from the factors A ({@code D_in' × D_in'}) and G ({@code D_out × D_out}), which must be symmetric
     * and finite. {@code damping} is used only by methods that fold it in here ({@link CholeskyInverse}).
     */
    void update(Tensor a, Tensor g, double damping);

    /** {@code out ← P(grad)}, the damped natural gradient of the {@code D_out × D_in'} matrix {@code grad}. */
    void precondition(Tensor grad, double damping, Tensor out);

    /** Whether {@link #update} has run (or {@link #restore} has). */
    boolean ready();

    /** The smallest and largest eigenvalue of A and of G as last decomposed ({λA_min, λA_max, λG_min, λG_max}); NaN if not known. */
    double[] eigenvalueRange();

    /** The state to checkpoint, by name (relative to the layer). */
    Map<String, Tensor> state();

    /** Restores {@link #state()} (converting precision where needed); a missing or misshapen tensor is an error naming it. */
    default void restore(Map<String, Tensor> state) {
        for (Map.Entry<String, Tensor> e : state().entrySet()) {
            Tensor t = state.get(e.getKey());
            Tensor like = e.getValue();
            if (t == null || !t.hasShape(like.shape())) {
                throw new IllegalArgumentException("inverse state '" + e.getKey() + "': expected " + like + ", found "
                        + t);
            }
            like.copyFrom(t.dtype() == like.dtype() ? t : t.to(like.dtype()));
        }
        restored();
    }

    /** Called once {@link #restore} has copied the state: derive what is not stored, and become {@link #ready()}. */
    void restored();

    /** π = sqrt((tr A / dim A) / (tr G / dim G)): the split of the damping between the factors (1 when undefined). */
    static double pi(Tensor a, Tensor g) {
        double pi = Math.sqrt(meanDiagonal(a) / meanDiagonal(g));
        return Double.isFinite(pi) && pi > 0 ? pi : 1;
    }

    private static double meanDiagonal(Tensor f) {
        int n = f.dim(0);
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += f.get(i * n + i);
        }
        return trace / n;
    }
}

package org.kfac4j.kfac.inverse;

import java.util.Map;
import org.kfac4j.kfac.factor.BatchTerm;
import org.kfac4j.nn.tensor.Tensor;

/**
 * What a layer keeps of its Kronecker factors between inverse updates, and how it applies the damped inverse
 * {@code (G ⊗ A + damping)⁻¹} to a gradient. Refreshed every {@code T_inv} steps from the moving-average factors;
 * applied every step. Implementations are not thread-safe (one per layer, used by one thread at a time).
 */
public sealed interface FactorInverse permits EigenInverse, CholeskyInverse, LowRankInverse, ConjugateGradientInverse {
    /** The method as the registration table shows it, e.g. {@code eigen} or {@code A: b-kfac r=64, G: eigen}. */
    String label();

    /**
     * Called at every factor update with the batch's terms before they are folded into the moving averages (the
     * first call may choose, from the terms' row counts, how each factor is tracked).
     *
     * @throws InverseNotApplicableException when the method cannot serve this layer, saying why
     */
    default void prepare(BatchTerm a, BatchTerm g) {
    }

    /** Whether {@link #update} reads the formed factor A (else it is not accumulated). Valid after {@link #prepare}. */
    default boolean readsA() {
        return true;
    }

    /** Whether {@link #update} reads the formed factor G. Valid after {@link #prepare}. */
    default boolean readsG() {
        return true;
    }

    /** Folds the batch terms into state kept online, {@code F ← ρF + (1 − ρ)F_batch}; called after {@link #prepare}. */
    default void observe(BatchTerm a, BatchTerm g, double rho) {
    }

    /** What the last application reported, if anything (e.g. an iterative solver's residual); empty otherwise. */
    default String status() {
        return "";
    }

    /**
     * Recomputes from the factors A ({@code D_in' × D_in'}) and G ({@code D_out × D_out}), which must be symmetric
     * and finite. {@code damping} is used only by methods that fold it in here ({@link CholeskyInverse}).
     */
    void update(Tensor a, Tensor g, double damping);

    /** {@code out ← P(grad)}, the damped natural gradient of the {@code D_out × D_in'} matrix {@code grad}. */
    void precondition(Tensor grad, double damping, Tensor out);

    /** Whether {@link #update} has run (or {@link #restore} has). */
    boolean ready();

    /**
     * The smallest and largest eigenvalue of A and of G as last decomposed ({λA_min, λA_max, λG_min, λG_max}); NaN
     * if not known.
     */
    default double[] eigenvalueRange() {
        return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    }

    /** Whether {@link #state()} holds anything a checkpoint must keep (by default: once {@link #ready()}). */
    default boolean hasState() {
        return ready();
    }

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

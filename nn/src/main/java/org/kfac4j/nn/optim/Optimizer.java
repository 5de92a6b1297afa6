package org.kfac4j.nn.optim;

import java.util.Map;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/** Updates parameters in place from their accumulated gradients. */
public interface Optimizer {
    /** One update; the step counter advances. */
    void step();

    /** The number of steps taken. */
    long steps();

    /** Sets every parameter's gradient to zero. */
    void zeroGrad();

    /**
     * The state a checkpoint needs to continue the same trajectory, by name: the step count under {@code "steps"}
     * and the per-parameter buffers under {@code "<buffer>.<parameter name>"}. The tensors are live views: copy
     * or write them before the next step.
     */
    Map<String, Tensor> state();

    /** Restores a {@link #state()} of an optimiser of the same kind over the same parameters. */
    void restore(Map<String, Tensor> state);

    /** The step count as a state tensor. */
    static Tensor stepsTensor(long steps) {
        Tensor t = Tensor.zeros(DType.F64, 1);
        t.set(0, steps);
        return t;
    }

    /** The step count of a state map (an error naming what is missing). */
    static long steps(Map<String, Tensor> state, String optimizer) {
        Tensor t = state.get("steps");
        if (t == null || t.size() != 1 || !(t.get(0) >= 0)) {
            throw new IllegalArgumentException(optimizer + " state has no valid 'steps' entry (found " + t + ")");
        }
        return (long) t.get(0);
    }

    /** {@code into ← state[name]}, checking presence and shape. */
    static void copyInto(Map<String, Tensor> state, String name, Tensor into, String optimizer) {
        Tensor t = state.get(name);
        if (t == null || !t.hasShape(into.shape())) {
            throw new IllegalArgumentException(optimizer + " state '" + name + "': expected " + into + ", found " + t);
        }
        into.copyFrom(t.dtype() == into.dtype() ? t : t.to(into.dtype()));
    }
}

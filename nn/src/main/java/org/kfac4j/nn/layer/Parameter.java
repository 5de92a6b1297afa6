package org.kfac4j.nn.layer;

import org.kfac4j.nn.tensor.Tensor;

/**
 * A trainable tensor and the gradient accumulated into it by backward passes. The name is the key under which
 * it is saved (PyTorch's {@code state_dict} naming: {@code "fc1.weight"}).
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = value.zerosLike();
    }

    public String name() {
        return name;
    }

    /** The value, updated in place by optimisers. */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient (same shape and dtype as the value). */
    public Tensor grad() {
        return grad;
    }

    public void zeroGrad() {
        grad.fill(0);
    }

    @Override
    public String toString() {
        return name + value;
    }
}

package org.kfac4j.nn.layer;

import org.kfac4j.nn.tensor.Tensor;

/**
 * One call of a layer in a forward pass: its output and what its backward pass needs. A node is kept until the
 * caller drops it, so backward may run several times from different output gradients without a second forward
 * (the Monte-Carlo and exact Fisher need that). Calling one layer twice gives two nodes, each captured.
 */
public interface Node {
    Tensor output();

    /**
     * Backpropagates {@code gradOutput} (∂L/∂output, same shape as {@link #output()}); never modifies it.
     *
     * @return ∂L/∂input, or {@code null} when {@code how.inputGradient()} is false
     */
    Tensor backward(Tensor gradOutput, Backward how);
}

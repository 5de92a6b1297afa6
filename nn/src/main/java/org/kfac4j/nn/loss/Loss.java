package org.kfac4j.nn.loss;

import java.util.random.RandomGenerator;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A loss {@code L = (1/Z) Σ_t ℓ(f_t, y_t)} over the network output {@code f} of shape {@code [..., C]}: every
 * index of the leading dimensions is one loss term t with a C-vector f_t. An {@code N × C} output is the reduce
 * setting (a term per example); an {@code N × R × C} output is the expand setting (a term per example and
 * position). Besides value and gradient, a loss gives what the curvature estimates feed into the backward passes:
 * targets sampled from the model's predictive distribution (Monte-Carlo Fisher) and the columns of a factor
 * {@code S_t} of its Hessian, {@code S_t S_tᵀ = ∂²ℓ/∂f_t²} (exact GGN).
 *
 * @param <Y> the targets: class indices for a classification loss, a tensor shaped like the output for regression
 */
public interface Loss<Y> {
    Reduction reduction();

    /** The number of loss terms of {@code output}: the product of its leading dimensions. */
    default int terms(Tensor output) {
        return output.rows();
    }

    /** Z: the number of terms for a mean, 1 for a sum. */
    default double normaliser(Tensor output) {
        return reduction().normaliser(terms(output));
    }

    /** L and ∂L/∂f. NaN or Inf in the output raises an exception naming the first such element. */
    LossValue evaluate(Tensor output, Y targets);

    /** One target per term drawn from p(y | f_t), the model's predictive distribution. */
    Y sample(Tensor output, RandomGenerator rng);

    /** C: the number of columns of S_t, and so of backward passes the exact GGN needs. */
    default int hessianColumns(Tensor output) {
        return output.dim(-1);
    }

    /**
     * Column {@code c} of S_t for every term t at once, shaped like the output (the seed of the exact GGN's backward
     * pass c). S_t is a fixed factor with S_t S_tᵀ = ∂²ℓ/∂f_t²; the K-FAC factors do not depend on which one. No
     * 1/Z scaling is applied.
     */
    Tensor hessianFactorColumn(Tensor output, int c);
}

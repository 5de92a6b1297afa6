package org.kfac4j.nn.capture;

import java.util.Optional;
import org.kfac4j.nn.layer.Layer;
import org.kfac4j.nn.layer.Parameter;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A linear layer with weight sharing, the unit K-FAC preconditions: per example an input {@code R × D_in} and an
 * output {@code s = a·Wᵀ (+ b)} of {@code R × D_out}. In a capturing forward pass each call records its input as
 * {@code N × R × D_in} ({@code N × R × (D_in + 1)} with a last column of ones when the layer has a bias), and each
 * backward pass records ∂L/∂s as {@code N × R × D_out} (see {@link Captures}).
 */
public interface KfacLayer extends Layer {
    /** The weight parameter, stored as PyTorch stores it (a convolution's is {@code C_out × C_in × kh × kw}). */
    Parameter weight();

    /** The bias parameter, if the layer has one. */
    Optional<Parameter> bias();

    /** D_in: the columns of the weight matrix (without the bias). */
    int inputDim();

    /** D_out: the rows of the weight matrix. */
    int outputDim();

    /** The weight as the {@code D_out × D_in} matrix K-FAC works with (a view: it shares the weight's storage). */
    default Tensor weightMatrix() {
        return weight().value().reshape(outputDim(), inputDim());
    }

    /** The weight gradient as a {@code D_out × D_in} view. */
    default Tensor weightGradMatrix() {
        return weight().grad().reshape(outputDim(), inputDim());
    }
}

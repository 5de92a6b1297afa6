package org.kfac4j.nn.layer;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.linalg.Transpose;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Initialisation;
import org.kfac4j.nn.tensor.MatMul;
import org.kfac4j.nn.tensor.RowOps;
import org.kfac4j.nn.tensor.Tensor;

/**
 * What every linear layer with weight sharing holds: a name, a weight of the given stored shape and an optional bias
 * of D_out, both initialised as PyTorch initialises them (U(−1/√fanIn, 1/√fanIn) with fanIn = D_in).
 */
abstract class SharedWeightLayer implements KfacLayer {
    final String name;
    final int in;
    final int out;
    final Parameter weight;
    final Parameter bias;

    SharedWeightLayer(String name, int in, int out, int[] weightShape, boolean bias, DType dtype,
                      RandomGenerator rng) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.weight = new Parameter(name + ".weight",
                Initialisation.pytorchDefault(Tensor.zeros(dtype, weightShape), in, rng));
        this.bias = bias
                ? new Parameter(name + ".bias", Initialisation.pytorchDefault(Tensor.zeros(dtype, out), in, rng))
                : null;
    }

    /**
     * y ← a·Wᵀ + b at every one of the {@code m} positions: the rows of {@code a} (stride {@code lda} ≥ D_in, the
     * first D_in columns read) into the m × D_out rows of {@code y}, which is overwritten.
     */
    final void applyWeights(Linalg linalg, Tensor a, int lda, int m, Tensor y) {
        if (bias != null) {
            RowOps.broadcastRows(bias.value(), y, 0, m, out);
        }
        MatMul.gemm(linalg, Transpose.N, Transpose.T, m, out, in, 1, a, 0, lda, weight.value(), 0, in,
                bias != null ? 1 : 0, y, 0, out);
    }

    /** ∂L/∂a ← g·W for the {@code m} positions: the m × D_in rows of {@code da}, overwritten. */
    final void inputGradient(Linalg linalg, Tensor g, int m, Tensor da) {
        MatMul.gemm(linalg, Transpose.N, Transpose.N, m, in, out, 1, g, 0, out, weight.value(), 0, in, 0, da, 0, in);
    }

    /**
     * ∂L/∂W += gᵀ·a and ∂L/∂b += Σ rows of g: one GEMM over all {@code m} = N·R positions, the weight being shared
     * over them. {@code a} holds the m inputs as rows of stride {@code lda} ≥ D_in (the first D_in columns are read,
     * so a ones column after them is left out).
     */
    final void accumulateParameterGradients(Linalg linalg, Tensor g, int m, Tensor a, int lda) {
        MatMul.gemm(linalg, Transpose.T, Transpose.N, out, in, m, 1, g, 0, out, a, 0, lda, 1, weight.grad(), 0, in);
        if (bias != null) {
            RowOps.addRowSums(linalg, g, m, out, bias.grad());
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Parameter weight() {
        return weight;
    }

    @Override
    public final Optional<Parameter> bias() {
        return Optional.ofNullable(bias);
    }

    @Override
    public final int inputDim() {
        return in;
    }

    @Override
    public final int outputDim() {
        return out;
    }

    @Override
    public final List<Parameter> parameters() {
        return bias != null ? List.of(weight, bias) : List.of(weight);
    }
}

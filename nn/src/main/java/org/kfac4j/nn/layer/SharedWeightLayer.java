package org.kfac4j.nn.layer;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Initialisation;
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

package org.kfac4j.nn.tensor;

import java.util.random.RandomGenerator;

/** Random initial values, from a caller-supplied generator so that every model is reproducible from a seed. */
public final class Initialisation {
    private Initialisation() {
    }

    /** Fills {@code t} with independent draws from U(−bound, bound). */
    public static Tensor uniform(Tensor t, double bound, RandomGenerator rng) {
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (2 * rng.nextDouble() - 1) * bound);
        }
        return t;
    }

    /** Fills {@code t} with independent draws from N(0, std²). */
    public static Tensor normal(Tensor t, double std, RandomGenerator rng) {
        for (int i = 0; i < t.size(); i++) {
            t.set(i, rng.nextGaussian() * std);
        }
        return t;
    }

    /**
     * PyTorch's default for linear and convolution layers ({@code kaiming_uniform_(a = √5)} for weights, and the
     * same bound for biases): U(−1/√fanIn, 1/√fanIn).
     */
    public static Tensor pytorchDefault(Tensor t, int fanIn, RandomGenerator rng) {
        return uniform(t, 1 / Math.sqrt(Math.max(1, fanIn)), rng);
    }
}

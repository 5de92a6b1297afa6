package org.kfac4j.nn.layer;

import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/** A channels-last grid {@code [N, H, W, C]} as a sequence {@code [N, H·W, C]} (row-major over the grid; a view). */
public final class ToTokens implements Layer {
    private final String name;

    public ToTokens(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() != 4) {
            throw ShapeMismatchException.of(this + " input", "[N, H, W, C]", x.shape());
        }
        int[] shape = x.shape();
        Tensor y = x.reshape(shape[0], shape[1] * shape[2], shape[3]);
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                return how.inputGradient() ? g.reshape(shape) : null;
            }
        };
    }

    @Override
    public String toString() {
        return name + " (ToTokens)";
    }
}

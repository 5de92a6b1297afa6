package org.kfac4j.nn.layer;

import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/** One position of a sequence, {@code [N, T, D] → [N, D]} (the class token of a ViT: position 0). */
public final class SelectToken implements Layer {
    private final String name;
    private final int position;

    public SelectToken(String name, int position) {
        this.name = name;
        this.position = position;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() != 3 || x.dim(1) <= position) {
            throw ShapeMismatchException.of(this + " input", "[N, T > " + position + ", D]", x.shape());
        }
        int n = x.dim(0);
        int t = x.dim(1);
        int d = x.dim(2);
        Tensor y = x.zeros(n, d);
        for (int e = 0; e < n; e++) {
            for (int j = 0; j < d; j++) {
                y.set(e * d + j, x.get((e * t + position) * d + j));
            }
        }
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                if (!how.inputGradient()) {
                    return null;
                }
                Tensor dx = x.zerosLike();
                for (int e = 0; e < n; e++) {
                    for (int j = 0; j < d; j++) {
                        dx.set((e * t + position) * d + j, g.get(e * d + j));
                    }
                }
                return dx;
            }
        };
    }

    @Override
    public String toString() {
        return name + " (token " + position + ")";
    }
}

package org.kfac4j.nn.layer;

import java.util.List;
import java.util.random.RandomGenerator;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Initialisation;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Prepends a learned class token to a sequence and adds a learned position embedding, as in ViT:
 * {@code [N, T, D] → [N, T + 1, D]}, {@code y = [cls; x] + pos}. Parameters {@code .cls} ({@code 1 × 1 × D}) and
 * {@code .pos} ({@code 1 × (T+1) × D}), drawn from N(0, 0.02²).
 */
public final class ClassToken implements Layer {
    private final String name;
    private final int tokens;
    private final int dim;
    private final Parameter cls;
    private final Parameter pos;

    public ClassToken(String name, int tokens, int dim, DType dtype, RandomGenerator rng) {
        this.name = name;
        this.tokens = tokens;
        this.dim = dim;
        this.cls = new Parameter(name + ".cls", Initialisation.normal(Tensor.zeros(dtype, 1, 1, dim), 0.02, rng));
        this.pos = new Parameter(name + ".pos", Initialisation.normal(Tensor.zeros(dtype, 1, tokens + 1, dim), 0.02, rng));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(cls, pos);
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() != 3 || x.dim(1) != tokens || x.dim(2) != dim) {
            throw ShapeMismatchException.of(this + " input", "[N, " + tokens + ", " + dim + "]", x.shape());
        }
        int n = x.dim(0);
        int per = (tokens + 1) * dim;
        Tensor y = x.zeros(n, tokens + 1, dim);
        for (int e = 0; e < n; e++) {
            for (int j = 0; j < dim; j++) {
                y.set(e * per + j, cls.value().get(j) + pos.value().get(j));
            }
            for (int i = dim; i < per; i++) {
                y.set(e * per + i, x.get(e * tokens * dim + i - dim) + pos.value().get(i));
            }
        }
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                ShapeMismatchException.requireGradientLike(ClassToken.this, y, g);
                if (how.parameterGradients()) {
                    for (int e = 0; e < n; e++) {
                        for (int i = 0; i < per; i++) {
                            double gi = g.get(e * per + i);
                            pos.grad().set(i, pos.grad().get(i) + gi);
                            if (i < dim) {
                                cls.grad().set(i, cls.grad().get(i) + gi);
                            }
                        }
                    }
                }
                if (!how.inputGradient()) {
                    return null;
                }
                Tensor dx = x.zerosLike();
                for (int e = 0; e < n; e++) {
                    for (int i = dim; i < per; i++) {
                        dx.set(e * tokens * dim + i - dim, g.get(e * per + i));
                    }
                }
                return dx;
            }
        };
    }

    @Override
    public String toString() {
        return name + " (ClassToken, " + tokens + " tokens of " + dim + ")";
    }
}

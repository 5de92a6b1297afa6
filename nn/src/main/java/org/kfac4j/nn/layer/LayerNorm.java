package org.kfac4j.nn.layer;

import java.util.Arrays;
import java.util.List;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Layer normalisation over the last dimension, as PyTorch's {@code nn.LayerNorm(D)}: every row is normalised by its
 * own mean and biased variance (ε = 1e-5), then scaled by γ ({@code .weight}) and shifted by β ({@code .bias}).
 * Not a K-FAC layer. Row statistics in double.
 */
public final class LayerNorm implements Layer {
    private final String name;
    private final int dim;
    private final double epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    public LayerNorm(String name, int dim, org.kfac4j.nn.tensor.DType dtype) {
        if (dim <= 0) {
            throw new IllegalArgumentException(name + ": LayerNorm size must be positive, got " + dim);
        }
        this.name = name;
        this.dim = dim;
        this.epsilon = 1e-5;
        this.gamma = new Parameter(name + ".weight", Tensor.zeros(dtype, dim).fill(1));
        this.beta = new Parameter(name + ".bias", Tensor.zeros(dtype, dim));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() < 1 || x.dim(-1) != dim) {
            throw ShapeMismatchException.of(this + " input", "[..., " + dim + "]", x.shape());
        }
        int rows = x.rows();
        double[] mean = new double[rows];
        double[] invStd = new double[rows];
        Tensor y = x.zerosLike();
        for (int r = 0; r < rows; r++) {
            int o = r * dim;
            double s = 0;
            for (int j = 0; j < dim; j++) {
                s += x.get(o + j);
            }
            double mu = s / dim;
            double v = 0;
            for (int j = 0; j < dim; j++) {
                double d = x.get(o + j) - mu;
                v += d * d;
            }
            mean[r] = mu;
            invStd[r] = 1 / Math.sqrt(v / dim + epsilon);
            for (int j = 0; j < dim; j++) {
                y.set(o + j, (x.get(o + j) - mu) * invStd[r] * gamma.value().get(j) + beta.value().get(j));
            }
        }
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                if (!g.hasShape(y.shape()) || g.dtype() != y.dtype()) {
                    throw ShapeMismatchException.of(LayerNorm.this + " output gradient", Arrays.toString(y.shape()),
                            g.shape());
                }
                Tensor dx = how.inputGradient() ? x.zerosLike() : null;
                double[] dGamma = new double[dim];
                double[] dBeta = new double[dim];
                for (int r = 0; r < rows; r++) {
                    int o = r * dim;
                    // dx = invStd·(gγ − mean(gγ) − x̂·mean(gγ·x̂)) over the row
                    double sumGg = 0;
                    double sumGgXhat = 0;
                    for (int j = 0; j < dim; j++) {
                        double xhat = (x.get(o + j) - mean[r]) * invStd[r];
                        double gj = g.get(o + j);
                        double gg = gj * gamma.value().get(j);
                        sumGg += gg;
                        sumGgXhat += gg * xhat;
                        dGamma[j] += gj * xhat;
                        dBeta[j] += gj;
                    }
                    if (dx != null) {
                        for (int j = 0; j < dim; j++) {
                            double xhat = (x.get(o + j) - mean[r]) * invStd[r];
                            double gg = g.get(o + j) * gamma.value().get(j);
                            dx.set(o + j, invStd[r] * (gg - sumGg / dim - xhat * sumGgXhat / dim));
                        }
                    }
                }
                if (how.parameterGradients()) {
                    for (int j = 0; j < dim; j++) {
                        gamma.grad().set(j, gamma.grad().get(j) + dGamma[j]);
                        beta.grad().set(j, beta.grad().get(j) + dBeta[j]);
                    }
                }
                return dx;
            }
        };
    }

    @Override
    public String toString() {
        return name + " (LayerNorm " + dim + ")";
    }
}

package org.kfac4j.nn.layer;

import java.util.List;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Layer normalisation over the last dimension, as PyTorch's {@code nn.LayerNorm(D)}: every row is normalised by its
 * own mean and biased variance (ε = 1e-5), then scaled by γ ({@code .weight}) and shifted by β ({@code .bias}).
 * Not a K-FAC layer. Row statistics in double.
 */
public final class LayerNorm implements Layer {
    /** Rows per parallel task (fixed, so that the parameter-gradient sums do not depend on the thread count). */
    private static final int ROWS_PER_TASK = 256;

    private final String name;
    private final int dim;
    private final double epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    public LayerNorm(String name, int dim, DType dtype) {
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
        double[] g = values(gamma.value());
        double[] b = values(beta.value());
        pass.linalg().parallelFor(rows, ROWS_PER_TASK, (from, to) -> {
            for (int r = from; r < to; r++) {
                normaliseRow(x, r, g, b, mean, invStd, y);
            }
        });
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor gy, Backward how) {
                ShapeMismatchException.requireGradientLike(LayerNorm.this, y, gy);
                Tensor dx = how.inputGradient() ? x.zerosLike() : null;
                // γ and β gradients are sums over rows: per-task partial sums over fixed row ranges, added in
                // range order, so the result does not depend on the thread count.
                int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
                double[][] partial = new double[tasks][2 * dim];
                pass.linalg().parallelFor(rows, ROWS_PER_TASK, (from, to) -> {
                    double[] sums = partial[from / ROWS_PER_TASK];
                    for (int r = from; r < to; r++) {
                        backwardRow(x, gy, r, g, mean[r], invStd[r], sums, dx);
                    }
                });
                if (how.parameterGradients()) {
                    for (double[] sums : partial) {
                        for (int j = 0; j < dim; j++) {
                            gamma.grad().set(j, gamma.grad().get(j) + sums[j]);
                            beta.grad().set(j, beta.grad().get(j) + sums[dim + j]);
                        }
                    }
                }
                return dx;
            }
        };
    }

    private void normaliseRow(Tensor x, int r, double[] g, double[] b, double[] mean, double[] invStd, Tensor y) {
        int o = r * dim;
        double s = 0;
        double ss = 0;
        if (x.dtype() == DType.F32) {
            float[] v = x.f32();
            for (int j = 0; j < dim; j++) {
                s += v[o + j];
            }
            double mu = s / dim;
            for (int j = 0; j < dim; j++) {
                double d = v[o + j] - mu;
                ss += d * d;
            }
            double is = 1 / Math.sqrt(ss / dim + epsilon);
            float[] out = y.f32();
            for (int j = 0; j < dim; j++) {
                out[o + j] = (float) ((v[o + j] - mu) * is * g[j] + b[j]);
            }
            mean[r] = mu;
            invStd[r] = is;
        } else {
            double[] v = x.f64();
            for (int j = 0; j < dim; j++) {
                s += v[o + j];
            }
            double mu = s / dim;
            for (int j = 0; j < dim; j++) {
                double d = v[o + j] - mu;
                ss += d * d;
            }
            double is = 1 / Math.sqrt(ss / dim + epsilon);
            double[] out = y.f64();
            for (int j = 0; j < dim; j++) {
                out[o + j] = (v[o + j] - mu) * is * g[j] + b[j];
            }
            mean[r] = mu;
            invStd[r] = is;
        }
    }

    /**
     * Row r of the backward pass: dx = invStd·(gγ − mean(gγ) − x̂·mean(gγ·x̂)); adds the row's g·x̂ and g into
     * {@code sums[0:dim]} and {@code sums[dim:2dim]}.
     */
    private void backwardRow(Tensor x, Tensor gy, int r, double[] g, double mu, double is, double[] sums, Tensor dx) {
        int o = r * dim;
        double sumGg = 0;
        double sumGgXhat = 0;
        for (int j = 0; j < dim; j++) {
            double xhat = (x.get(o + j) - mu) * is;
            double gj = gy.get(o + j);
            double gg = gj * g[j];
            sumGg += gg;
            sumGgXhat += gg * xhat;
            sums[j] += gj * xhat;
            sums[dim + j] += gj;
        }
        if (dx != null) {
            for (int j = 0; j < dim; j++) {
                double xhat = (x.get(o + j) - mu) * is;
                dx.set(o + j, is * (gy.get(o + j) * g[j] - sumGg / dim - xhat * sumGgXhat / dim));
            }
        }
    }

    private static double[] values(Tensor t) {
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.get(i);
        }
        return v;
    }

    @Override
    public String toString() {
        return name + " (LayerNorm " + dim + ")";
    }
}

package org.kfac4j.nn.layer;

/**
 * GELU in its tanh form, {@code ½x(1 + tanh(√(2/π)(x + 0.044715x³)))} — PyTorch's {@code nn.GELU(approximate="tanh")},
 * within 1e-3 of the erf form everywhere. The derivative is that of this same function, so gradients are exact.
 */
public final class Gelu extends Elementwise {
    private static final double C = Math.sqrt(2 / Math.PI);
    private static final double A = 0.044715;

    public Gelu(String name) {
        super(name);
    }

    @Override
    protected void apply(float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            y[i] = (float) (0.5 * v * (1 + Math.tanh(C * (v + A * v * v * v))));
        }
    }

    @Override
    protected void apply(double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            y[i] = 0.5 * v * (1 + Math.tanh(C * (v + A * v * v * v)));
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = (float) (g[i] * slope(x[i]));
        }
    }

    @Override
    protected void derivative(double[] x, double[] y, double[] g, double[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = g[i] * slope(x[i]);
        }
    }

    /** d/dx of ½x(1 + tanh u), u = C(x + Ax³): ½(1 + tanh u) + ½x(1 − tanh²u)·C(1 + 3Ax²). */
    private static double slope(double v) {
        double t = Math.tanh(C * (v + A * v * v * v));
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C * (1 + 3 * A * v * v);
    }
}

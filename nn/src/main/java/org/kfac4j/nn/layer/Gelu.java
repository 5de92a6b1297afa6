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
            y[i] = (float) (0.5 * v * (1 + tanh(C * (v + A * v * v * v))));
        }
    }

    @Override
    protected void apply(double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            y[i] = 0.5 * v * (1 + tanh(C * (v + A * v * v * v)));
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

    /**
     * tanh u as 1 − 2/(e^{2u} + 1): twice as fast as {@code Math.tanh} here (4 against 9 ns, GELU was 40% of a ViT
     * step); exact at the limits (e^{2u} overflowing to ∞ gives 1), absolute error a few ulps of 1 near 0, where
     * GELU uses 1 + tanh u.
     */
    private static double tanh(double u) {
        return 1 - 2 / (Math.exp(2 * u) + 1);
    }

    /** d/dx of ½x(1 + tanh u), u = C(x + Ax³): ½(1 + tanh u) + ½x(1 − tanh²u)·C(1 + 3Ax²). */
    private static double slope(double v) {
        double t = tanh(C * (v + A * v * v * v));
        return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C * (1 + 3 * A * v * v);
    }
}

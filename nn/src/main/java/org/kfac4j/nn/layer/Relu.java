package org.kfac4j.nn.layer;

/** max(x, 0); its derivative is taken as 0 at 0, as PyTorch does. */
public final class Relu extends Elementwise {
    public Relu(String name) {
        super(name);
    }

    @Override
    protected void apply(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    protected void apply(double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0d);
        }
    }

    @Override
    protected void derivative(float[] x, float[] y, float[] g, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = x[i] > 0f ? g[i] : 0f;
        }
    }

    @Override
    protected void derivative(double[] x, double[] y, double[] g, double[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = x[i] > 0d ? g[i] : 0d;
        }
    }
}

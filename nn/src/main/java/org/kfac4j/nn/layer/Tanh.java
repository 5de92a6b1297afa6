package org.kfac4j.nn.layer;

import org.kfac4j.linalg.Linalg;

/** tanh(x), with derivative 1 − tanh²(x) taken from the saved output. */
public final class Tanh extends Elementwise {
    public Tanh(String name) {
        super(name);
    }

    @Override
    protected void apply(Linalg la, float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    @Override
    protected void apply(Linalg la, double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.tanh(x[i]);
        }
    }

    @Override
    protected void derivative(Linalg la, float[] x, float[] y, float[] g, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = g[i] * (1f - y[i] * y[i]);
        }
    }

    @Override
    protected void derivative(Linalg la, double[] x, double[] y, double[] g, double[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = g[i] * (1d - y[i] * y[i]);
        }
    }
}

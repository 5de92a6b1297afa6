package org.kfac4j.nn.layer;

import org.kfac4j.linalg.Linalg;

/**
 * max(x, 0); its derivative is taken as 0 at 0, as PyTorch does. The backward pass multiplies by signum(y) ∈ {0, 1}
 * instead of branching on the sign: with random signs a branch mispredicts half the time, and the product vectorises.
 */
public final class Relu extends Elementwise {
    public Relu(String name) {
        super(name);
    }

    @Override
    protected void apply(Linalg la, float[] x, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    protected void apply(Linalg la, double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] = Math.max(x[i], 0d);
        }
    }

    /** dx[i] = g[i]·signum(y[i]) for from ≤ i < to, y = max(x, 0). */
    @Override
    protected void derivative(Linalg la, float[] x, float[] y, float[] g, float[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = g[i] * Math.signum(y[i]);
        }
    }

    @Override
    protected void derivative(Linalg la, double[] x, double[] y, double[] g, double[] dx, int from, int to) {
        for (int i = from; i < to; i++) {
            dx[i] = g[i] * Math.signum(y[i]);
        }
    }
}

package org.kfac4j.nn.layer;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A layer applying a scalar function f to every element, {@code y = f(x)}, shape preserved. Subclasses give f and
 * its derivative as loops over both precisions (separate loops, not a shared one calling a lambda: that call
 * would not inline once two functions share it, and elementwise layers are memory-bound only when vectorised).
 */
public abstract class Elementwise implements Layer {
    private final String name;

    protected Elementwise(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * {@code y[i] = f(x[i])} for from ≤ i < to, on the calling thread; {@code la} for the vector kernels an
     * implementation may use (its exponential).
     */
    protected abstract void apply(Linalg la, float[] x, float[] y, int from, int to);

    protected abstract void apply(Linalg la, double[] x, double[] y, int from, int to);

    /** {@code dx[i] = g[i]·f'(x[i])} for from ≤ i < to, given also {@code y = f(x)}. */
    protected abstract void derivative(Linalg la, float[] x, float[] y, float[] g, float[] dx, int from, int to);

    protected abstract void derivative(Linalg la, double[] x, double[] y, double[] g, double[] dx, int from, int to);

    @Override
    public final Node forward(Tensor x, Pass pass) {
        Tensor y = x.zerosLike();
        Linalg la = pass.linalg();
        la.parallelFor(x.size(), Tensor.ELEMENTS_PER_TASK, (from, to) -> {
            if (x.dtype() == DType.F32) {
                apply(la, x.f32(), y.f32(), from, to);
            } else {
                apply(la, x.f64(), y.f64(), from, to);
            }
        });
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                ShapeMismatchException.requireGradientLike(Elementwise.this, y, g);
                if (!how.inputGradient()) {
                    return null;
                }
                Tensor dx = x.zerosLike();
                la.parallelFor(x.size(), Tensor.ELEMENTS_PER_TASK, (from, to) -> {
                    if (x.dtype() == DType.F32) {
                        derivative(la, x.f32(), y.f32(), g.f32(), dx.f32(), from, to);
                    } else {
                        derivative(la, x.f64(), y.f64(), g.f64(), dx.f64(), from, to);
                    }
                });
                return dx;
            }
        };
    }

    @Override
    public String toString() {
        return name + " (" + getClass().getSimpleName() + ")";
    }
}

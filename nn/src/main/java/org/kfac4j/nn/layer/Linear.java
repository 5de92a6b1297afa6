package org.kfac4j.nn.layer;

import java.util.random.RandomGenerator;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.RowOps;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * {@code y = x·Wᵀ + b} over the last dimension of an input of any rank ≥ 2, {@code [N, …, D_in] → [N, …, D_out]}:
 * the weight is shared over the middle dimensions, whose product is K-FAC's R. Weight {@code D_out × D_in}.
 */
public final class Linear extends SharedWeightLayer {
    /** A layer initialised as PyTorch's {@code nn.Linear} is, from {@code rng}. */
    public Linear(String name, int in, int out, boolean bias, DType dtype, RandomGenerator rng) {
        super(name, checked(name, in, out), out, new int[] {out, in}, bias, dtype, rng);
    }

    private static int checked(String name, int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException(name + ": Linear sizes must be positive, got " + in + " → " + out);
        }
        return in;
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() < 2 || x.dim(-1) != in) {
            throw ShapeMismatchException.of(this + " input", "[N, ..., " + in + "]", x.shape());
        }
        if (x.dtype() != weight.value().dtype()) {
            throw new ShapeMismatchException(this + ": input is " + x.dtype() + ", the weight " + weight.value().dtype());
        }
        int m = x.rows();
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor y = x.zeros(shape);
        applyWeights(pass.linalg(), x, in, m, y);
        int n = x.dim(0);
        int r = n == 0 ? 0 : m / n;
        int call = -1;
        if (pass.captures().enabled()) {
            Tensor a = bias != null ? RowOps.appendOnesColumn(x, m, in, n, r, in + 1) : x.reshape(n, r, in);
            call = pass.captures().recordInput(this, a);
        }
        return new LinearNode(x, y, pass, call, n, r);
    }

    @Override
    public String toString() {
        return name + " (Linear " + in + "→" + out + (bias != null ? ", bias" : "") + ")";
    }

    private final class LinearNode implements Node {
        private final Tensor x;
        private final Tensor y;
        private final Pass pass;
        private final int call;
        private final int n;
        private final int r;

        LinearNode(Tensor x, Tensor y, Pass pass, int call, int n, int r) {
            this.x = x;
            this.y = y;
            this.pass = pass;
            this.call = call;
            this.n = n;
            this.r = r;
        }

        @Override
        public Tensor output() {
            return y;
        }

        @Override
        public Tensor backward(Tensor g, Backward how) {
            ShapeMismatchException.requireGradientLike(Linear.this, y, g);
            int m = n * r;
            Linalg la = pass.linalg();
            if (call >= 0) {
                pass.captures().recordOutputGradient(Linear.this, call, g.reshape(n, r, out));
            }
            if (how.parameterGradients()) {
                accumulateParameterGradients(la, g, m, x, in);
            }
            if (!how.inputGradient()) {
                return null;
            }
            Tensor dx = x.zerosLike();
            inputGradient(la, g, m, dx);
            return dx;
        }
    }
}

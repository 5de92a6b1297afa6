package org.kfac4j.nn.layer;

import java.util.random.RandomGenerator;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * 2-D convolution (cross-correlation, as PyTorch's {@code nn.Conv2d}) with stride, zero padding and optional bias, on
 * channels-last images {@code [N, H, W, C_in] → [N, H_out, W_out, C_out]}. As a K-FAC layer it is a linear layer
 * shared over the R = H_out·W_out output positions: its input is the im2col matrix {@code N × R × C_in·kh·kw}
 * (plus a ones column with a bias), which the forward pass builds anyway and hands over without a copy; its
 * output, channels-last, is already {@code N × R × C_out}. Weight {@code C_out × C_in × kh × kw}.
 */
public final class Conv2d extends SharedWeightLayer {
    private final int kernel;
    private final int stride;
    private final int padding;

    /** A square {@code kernel × kernel} convolution initialised as PyTorch's {@code nn.Conv2d} is. */
    public Conv2d(String name, int in, int out, int kernel, int stride, int padding, boolean bias, DType dtype,
                  RandomGenerator rng) {
        super(name, checked(name, in, out, kernel, stride, padding) * kernel * kernel, out,
                new int[] {out, in, kernel, kernel}, bias, dtype, rng);
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    private static int checked(String name, int in, int out, int kernel, int stride, int padding) {
        if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException(name + ": Conv2d needs positive channels, kernel and stride and "
                    + "padding >= 0, got " + in + "→" + out + ", kernel " + kernel + ", stride " + stride
                    + ", padding " + padding);
        }
        return in;
    }

    /** Input channels. */
    private int channels() {
        return in / (kernel * kernel);
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() != 4 || x.dim(3) != channels()) {
            throw ShapeMismatchException.of(this + " input (channels-last)", "[N, H, W, " + channels() + "]", x.shape());
        }
        if (x.dtype() != weight.value().dtype()) {
            throw new ShapeMismatchException(this + ": input is " + x.dtype() + ", the weight " + weight.value().dtype());
        }
        Im2col geometry = new Im2col(x.dim(1), x.dim(2), channels(), kernel, kernel, stride, padding);
        int ho = geometry.outHeight();
        int wo = geometry.outWidth();
        if (ho <= 0 || wo <= 0) {
            throw ShapeMismatchException.of(this + " input: the " + kernel + "×" + kernel + " kernel does not fit",
                    "H, W >= " + (kernel - 2 * padding), x.shape());
        }
        int n = x.dim(0);
        int r = ho * wo;
        int m = n * r;
        int d = inputDim();
        int ld = bias != null ? d + 1 : d;
        Tensor cols = x.zeros(n, r, ld);
        geometry.gather(pass.linalg(), x, n, cols, ld);
        Tensor y = x.zeros(n, ho, wo, out);
        if (bias != null) {
            for (int row = 0; row < m; row++) {
                cols.set(row * ld + d, 1);
            }
        }
        applyWeights(pass.linalg(), cols, ld, m, y);
        int call = pass.captures().recordInput(this, cols);
        return new ConvNode(x, geometry, cols, y, pass, call, n, r);
    }

    @Override
    public String toString() {
        return name + " (Conv2d " + channels() + "→" + out + ", " + kernel + "×" + kernel + ", stride " + stride
                + ", padding " + padding + (bias != null ? ", bias" : "") + ")";
    }

    private final class ConvNode implements Node {
        private final Tensor x;
        private final Im2col geometry;
        private final Tensor cols;
        private final Tensor y;
        private final Pass pass;
        private final int call;
        private final int n;
        private final int r;

        ConvNode(Tensor x, Im2col geometry, Tensor cols, Tensor y, Pass pass, int call, int n, int r) {
            this.x = x;
            this.geometry = geometry;
            this.cols = cols;
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
            ShapeMismatchException.requireGradientLike(Conv2d.this, y, g);
            int m = n * r;
            int d = inputDim();
            int ld = cols.dim(2);
            if (call >= 0) {
                pass.captures().recordOutputGradient(Conv2d.this, call, g.reshape(n, r, out));
            }
            if (how.parameterGradients()) {
                accumulateParameterGradients(pass.linalg(), g, m, cols, ld);
            }
            if (!how.inputGradient()) {
                return null;
            }
            Tensor dcols = x.zeros(m, d);
            inputGradient(pass.linalg(), g, m, dcols);
            Tensor dx = x.zerosLike();
            geometry.scatterAdd(pass.linalg(), dcols, d, n, dx);
            return dx;
        }
    }
}

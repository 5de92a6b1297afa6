package org.kfac4j.nn.layer;

import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Images from PyTorch's channels-first layout to kfac4j's channels-last one, {@code [N, C, H, W] → [N, H, W, C]}, so
 * that a model described for NCHW inputs (a reference case, a PyTorch export) takes them as they are.
 */
public final class ChannelsLast implements Layer {
    private final String name;

    public ChannelsLast(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() != 4) {
            throw ShapeMismatchException.of(this + " input", "[N, C, H, W]", x.shape());
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        Tensor y = x.zeros(n, h, w, c);
        permute(x, y, n, c, h * w, true);
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                ShapeMismatchException.requireGradientLike(ChannelsLast.this, y, g);
                if (!how.inputGradient()) {
                    return null;
                }
                Tensor dx = x.zerosLike();
                permute(g, dx, n, c, h * w, false);
                return dx;
            }
        };
    }

    /** NCHW → NHWC ({@code forward}) or back, over {@code pixels} = H·W positions. */
    private static void permute(Tensor from, Tensor to, int n, int c, int pixels, boolean forward) {
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < pixels; p++) {
                    int chw = (e * c + k) * pixels + p;
                    int hwc = (e * pixels + p) * c + k;
                    if (forward) {
                        to.set(hwc, from.get(chw));
                    } else {
                        to.set(chw, from.get(hwc));
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + " (NCHW → NHWC)";
    }
}

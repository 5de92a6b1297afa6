package org.kfac4j.nn.layer;

import org.kfac4j.nn.tensor.Tensor;

/**
 * {@code [N, …] → [N, Π…]}. A channels-last image {@code [N, H, W, C]} is flattened in PyTorch's order for
 * {@code N × C × H × W} (channel, row, column), so that a Linear layer after it takes PyTorch's weights unchanged;
 * any other rank is a row-major reshape (a view).
 */
public final class Flatten implements Layer {
    private final String name;

    public Flatten(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        int n = x.rank() == 0 ? 1 : x.dim(0);
        int per = n == 0 ? 0 : x.size() / n;
        boolean image = x.rank() == 4 && x.dim(3) > 1;
        Tensor y = image ? permute(x, true) : x.reshape(n, per);
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                if (!how.inputGradient()) {
                    return null;
                }
                return image ? permute(g.reshape(x.shape()), false) : g.reshape(x.shape());
            }
        };
    }

    /** NHWC → N(CHW) when {@code forward}, its inverse otherwise; the result has the other layout's shape. */
    private static Tensor permute(Tensor t, boolean forward) {
        int[] s = t.shape();
        int n = s[0];
        int h = s[1];
        int w = s[2];
        int c = s[3];
        Tensor out = forward ? t.zeros(n, c * h * w) : t.zerosLike();
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int k = 0; k < c; k++) {
                        int hwc = ((e * h + i) * w + j) * c + k;
                        int chw = ((e * c + k) * h + i) * w + j;
                        if (forward) {
                            out.set(chw, t.get(hwc));
                        } else {
                            out.set(hwc, t.get(chw));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " (Flatten)";
    }
}

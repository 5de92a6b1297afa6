package org.kfac4j.nn.layer;

import java.util.Arrays;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Aggregates the positions of {@code [N, …, C]} into {@code [N, C]} by their mean or sum over all middle dimensions
 * (global average pooling of a channels-last image, mean readout of a graph, pooling of a sequence). Linear, so a
 * network that aggregates with it is in K-FAC's reduce setting.
 */
public final class PoolOverPositions implements Layer {
    /** How the positions are combined. */
    public enum Mode { MEAN, SUM }

    private final String name;
    private final Mode mode;

    public PoolOverPositions(String name, Mode mode) {
        this.name = name;
        this.mode = mode;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        if (x.rank() < 3) {
            throw ShapeMismatchException.of(this + " input", "[N, positions..., C] (rank >= 3)", x.shape());
        }
        int n = x.dim(0);
        int c = x.dim(-1);
        int r = n == 0 || c == 0 ? 0 : x.size() / (n * c);
        double weight = mode == Mode.MEAN ? 1.0 / Math.max(1, r) : 1.0;
        Tensor y = x.zeros(n, c);
        if (x.dtype() == DType.F32) {
            float[] src = x.f32();
            float[] dst = y.f32();
            for (int e = 0; e < n; e++) {
                for (int p = 0; p < r; p++) {
                    int row = (e * r + p) * c;
                    for (int j = 0; j < c; j++) {
                        dst[e * c + j] += src[row + j];
                    }
                }
            }
        } else {
            double[] src = x.f64();
            double[] dst = y.f64();
            for (int e = 0; e < n; e++) {
                for (int p = 0; p < r; p++) {
                    int row = (e * r + p) * c;
                    for (int j = 0; j < c; j++) {
                        dst[e * c + j] += src[row + j];
                    }
                }
            }
        }
        if (weight != 1.0) {
            for (int i = 0; i < y.size(); i++) {
                y.set(i, y.get(i) * weight);
            }
        }
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                if (!g.hasShape(n, c) || g.dtype() != y.dtype()) {
                    throw ShapeMismatchException.of(PoolOverPositions.this + " output gradient",
                            Arrays.toString(y.shape()), g.shape());
                }
                if (!how.inputGradient()) {
                    return null;
                }
                Tensor dx = x.zerosLike();
                for (int e = 0; e < n; e++) {
                    for (int p = 0; p < r; p++) {
                        for (int j = 0; j < c; j++) {
                            dx.set((e * r + p) * c + j, g.get(e * c + j) * weight);
                        }
                    }
                }
                return dx;
            }
        };
    }

    @Override
    public String toString() {
        return name + " (" + mode.name().toLowerCase() + " over positions)";
    }
}

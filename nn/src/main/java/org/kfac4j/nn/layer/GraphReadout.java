package org.kfac4j.nn.layer;

import org.kfac4j.nn.graph.GraphBatch;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/** The mean of each graph's node features, {@code V × F → G × F}: a graph network's readout (the reduce setting). */
public final class GraphReadout implements Layer {
    private final String name;

    public GraphReadout(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        GraphBatch graph = pass.requireGraph(this);
        if (x.rank() != 2 || x.dim(0) != graph.nodes()) {
            throw ShapeMismatchException.of(this + " input", "[" + graph.nodes() + " nodes, F]", x.shape());
        }
        int f = x.dim(1);
        int[] offsets = graph.offsets();
        Tensor y = x.zeros(graph.graphs(), f);
        for (int g = 0; g < graph.graphs(); g++) {
            double w = 1.0 / Math.max(1, offsets[g + 1] - offsets[g]);
            for (int v = offsets[g]; v < offsets[g + 1]; v++) {
                for (int k = 0; k < f; k++) {
                    y.set(g * f + k, y.get(g * f + k) + w * x.get(v * f + k));
                }
            }
        }
        return new Node() {
            @Override
            public Tensor output() {
                return y;
            }

            @Override
            public Tensor backward(Tensor grad, Backward how) {
                if (!how.inputGradient()) {
                    return null;
                }
                Tensor dx = x.zerosLike();
                for (int g = 0; g < offsets.length - 1; g++) {
                    double w = 1.0 / Math.max(1, offsets[g + 1] - offsets[g]);
                    for (int v = offsets[g]; v < offsets[g + 1]; v++) {
                        for (int k = 0; k < f; k++) {
                            dx.set(v * f + k, w * grad.get(g * f + k));
                        }
                    }
                }
                return dx;
            }
        };
    }

    @Override
    public String toString() {
        return name + " (mean over each graph's nodes)";
    }
}

package org.kfac4j.nn.layer;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.capture.KfacLayer;
import org.kfac4j.nn.graph.GraphBatch;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.RowOps;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A graph convolution (Kipf and Welling), {@code Y = Â·X·Wᵀ + b} on the stacked nodes {@code V × D_in} of a
 * {@link GraphBatch}, Â its normalised adjacency with self-loops. As a K-FAC layer it is its Linear part, shared
 * over the nodes: its input is the aggregated features {@code Â·X}, captured as {@code 1 × V × D_in(+1)} with the
 * graphs' node ranges as segments (the graphs differ in size). Weight {@code D_out × D_in}, as PyTorch Geometric's
 * {@code GCNConv.lin}.
 */
public final class GraphConv implements KfacLayer {
    private final Linear linear;

    public GraphConv(String name, int in, int out, boolean bias, DType dtype, RandomGenerator rng) {
        this.linear = new Linear(name, in, out, bias, dtype, rng);
    }

    @Override
    public String name() {
        return linear.name();
    }

    @Override
    public Parameter weight() {
        return linear.weight();
    }

    @Override
    public Optional<Parameter> bias() {
        return linear.bias();
    }

    @Override
    public int inputDim() {
        return linear.inputDim();
    }

    @Override
    public int outputDim() {
        return linear.outputDim();
    }

    @Override
    public List<Parameter> parameters() {
        return linear.parameters();
    }

    @Override
    public Node forward(Tensor x, Pass pass) {
        GraphBatch graph = pass.requireGraph(this);
        if (x.rank() != 2 || x.dim(0) != graph.nodes() || x.dim(1) != inputDim()) {
            throw ShapeMismatchException.of(this + " input", "[" + graph.nodes() + " nodes, " + inputDim() + "]",
                    x.shape());
        }
        Tensor aggregated = graph.propagate(pass.linalg(), x);
        // The Linear part runs uncaptured; this layer records its input with the graphs as segments.
        Pass inner = new Pass(pass.linalg(), pass.training(), Captures.NONE, graph);
        Node lin = linear.forward(aggregated, inner);
        int call = -1;
        if (pass.captures().enabled()) {
            int v = graph.nodes();
            int d = inputDim();
            Tensor a = bias().isPresent() ? RowOps.appendOnesColumn(aggregated, v, d, 1, v, d + 1)
                    : aggregated.reshape(1, v, d);
            call = pass.captures().recordInput(this, a, graph.offsets());
        }
        int recorded = call;
        return new Node() {
            @Override
            public Tensor output() {
                return lin.output();
            }

            @Override
            public Tensor backward(Tensor g, Backward how) {
                if (recorded >= 0) {
                    pass.captures().recordOutputGradient(GraphConv.this, recorded, g.reshape(1, g.dim(0), outputDim()));
                }
                Tensor dAggregated = lin.backward(g, how);
                return how.inputGradient() ? graph.propagate(pass.linalg(), dAggregated) : null;
            }
        };
    }

    @Override
    public String toString() {
        return name() + " (GraphConv " + inputDim() + "→" + outputDim() + (bias().isPresent() ? ", bias" : "") + ")";
    }
}

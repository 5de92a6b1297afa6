package org.kfac4j.nn.graph;

import org.kfac4j.linalg.Linalg;

import java.util.Arrays;
import java.util.List;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * Graphs of different sizes batched as one: node features stacked into {@code V × F} (V = all nodes), and the
 * GCN propagation matrix {@code Â = D^{-1/2}(A + I)D^{-1/2}} of every graph on the diagonal of one block-diagonal
 * sparse {@code V × V} matrix (CSR). Graph g owns nodes {@code offsets[g] .. offsets[g+1]}. Immutable.
 */
public final class GraphBatch {
    private final Tensor features;
    private final int[] offsets;
    private final int[] rowStart;
    private final int[] columns;
    private final double[] values;

    private GraphBatch(Tensor features, int[] offsets, int[] rowStart, int[] columns, double[] values) {
        this.features = features;
        this.offsets = offsets;
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
    }

    /** Batches graphs; their features must share F and dtype. */
    public static GraphBatch of(List<Graph> graphs) {
        if (graphs.isEmpty()) {
            throw new IllegalArgumentException("a graph batch needs at least one graph");
        }
        Graph first = graphs.get(0);
        int f = first.features().dim(1);
        DType dtype = first.features().dtype();
        int[] offsets = new int[graphs.size() + 1];
        int entries = 0;
        for (int g = 0; g < graphs.size(); g++) {
            Graph graph = graphs.get(g);
            if (graph.features().dim(1) != f || graph.features().dtype() != dtype) {
                throw new ShapeMismatchException("graph " + g + " has features " + graph.features() + ", graph 0 "
                        + first.features());
            }
            offsets[g + 1] = offsets[g] + graph.nodes();
            entries += graph.nodes() + 2 * graph.edges().length;
        }
        int v = offsets[graphs.size()];
        Tensor features = Tensor.zeros(dtype, v, f);
        int[] rowStart = new int[v + 1];
        int[] columns = new int[entries];
        double[] values = new double[entries];
        int at = 0;
        for (int g = 0; g < graphs.size(); g++) {
            Graph graph = graphs.get(g);
            int base = offsets[g];
            for (int i = 0; i < graph.nodes() * f; i++) {
                features.set(base * f + i, graph.features().get(i));
            }
            int[][] neighbours = graph.neighboursWithSelfLoops();
            for (int i = 0; i < graph.nodes(); i++) {
                rowStart[base + i] = at;
                double di = neighbours[i].length; // degree of A + I
                for (int j : neighbours[i]) {
                    columns[at] = base + j;
                    values[at] = 1 / Math.sqrt(di * neighbours[j].length);
                    at++;
                }
            }
        }
        rowStart[v] = at;
        return new GraphBatch(features, offsets, rowStart, Arrays.copyOf(columns, at), Arrays.copyOf(values, at));
    }

    /** The stacked node features, {@code V × F}. */
    public Tensor features() {
        return features;
    }

    /** The number of graphs. */
    public int graphs() {
        return offsets.length - 1;
    }

    /** The number of nodes of all graphs. */
    public int nodes() {
        return offsets[offsets.length - 1];
    }

    /** Graph g's nodes are {@code offsets()[g] .. offsets()[g+1]} (a copy). */
    public int[] offsets() {
        return offsets.clone();
    }

    /** Nodes per parallel task: a task's edges outweigh its dispatch. */
    private static final int NODES_PER_TASK = 64;

    /**
     * {@code Â·X} for {@code X} of {@code V × F} (Â is symmetric, so this is also the adjoint used by backward): each
     * output row a sum of its neighbours' rows (vector axpy), rows split over {@code linalg}'s threads; every row is
     * summed in edge order by one thread, so the result does not depend on the thread count.
     */
    public Tensor propagate(Linalg linalg, Tensor x) {
        if (x.rank() != 2 || x.dim(0) != nodes()) {
            throw ShapeMismatchException.of("GraphBatch.propagate", "[" + nodes() + ", F]", x.shape());
        }
        int f = x.dim(1);
        Tensor y = x.zerosLike();
        linalg.parallelFor(nodes(), NODES_PER_TASK, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    if (x.dtype() == DType.F32) {
                        linalg.saxpy(f, (float) values[e], x.f32(), columns[e] * f, y.f32(), i * f);
                    } else {
                        linalg.daxpy(f, values[e], x.f64(), columns[e] * f, y.f64(), i * f);
                    }
                }
            }
        });
        return y;
    }

    /** Entry (i, j) of Â (for tests; a linear search in row i). */
    public double entry(int i, int j) {
        for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
            if (columns[e] == j) {
                return values[e];
            }
        }
        return 0;
    }
}

package org.kfac4j.nn.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.kfac4j.nn.tensor.DType;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A synthetic graph-classification task, so that graph networks train with no dataset installed: graphs of 10–30
 * nodes with 16 features. A class fixes a feature direction and an edge density: node features are
 * {@code 0.5·μ_c + noise}, and nodes are joined with probability {@code p_c}, so that both the features and the
 * structure (seen through the normalised adjacency) carry the label. Fully determined by the seed.
 */
public final class SyntheticGraphs {
    /** Node feature width. */
    public static final int FEATURES = 16;

    private SyntheticGraphs() {
    }

    public static List<Graph> generate(int count, int classes, long seed, DType dtype) {
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        SplittableRandom classRng = new SplittableRandom(0x6ca7_5eedL);
        double[][] mu = new double[classes][FEATURES];
        double[] density = new double[classes];
        for (int c = 0; c < classes; c++) {
            for (int k = 0; k < FEATURES; k++) {
                mu[c][k] = classRng.nextGaussian();
            }
            density[c] = 0.08 + 0.3 * c / (classes - 1);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Graph> graphs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int c = rng.nextInt(classes);
            int nodes = 10 + rng.nextInt(21);
            Tensor x = Tensor.zeros(dtype, nodes, FEATURES);
            for (int v = 0; v < nodes; v++) {
                for (int k = 0; k < FEATURES; k++) {
                    x.set(v * FEATURES + k, 0.5 * mu[c][k] + rng.nextGaussian());
                }
            }
            List<int[]> edges = new ArrayList<>();
            for (int a = 0; a < nodes; a++) {
                for (int b = a + 1; b < nodes; b++) {
                    if (rng.nextDouble() < density[c]) {
                        edges.add(new int[] {a, b});
                    }
                }
            }
            graphs.add(new Graph(x, edges.toArray(new int[0][]), c));
        }
        return graphs;
    }

    /** The labels of {@code graphs}, in order. */
    public static int[] labels(List<Graph> graphs) {
        return graphs.stream().mapToInt(Graph::label).toArray();
    }
}

package org.kfac4j.nn.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.kfac4j.nn.tensor.ShapeMismatchException;
import org.kfac4j.nn.tensor.Tensor;

/**
 * An undirected graph with node features {@code nodes × F} and a class label. Edges are pairs of node indices;
 * duplicates and self-loops in the list are ignored (GCN adds every self-loop itself).
 */
public record Graph(Tensor features, int[][] edges, int label) {
    public Graph {
        if (features.rank() != 2) {
            throw ShapeMismatchException.of("Graph features", "[nodes, F]", features.shape());
        }
        int n = features.dim(0);
        for (int[] e : edges) {
            if (e.length != 2 || e[0] < 0 || e[0] >= n || e[1] < 0 || e[1] >= n) {
                throw new IllegalArgumentException("edge " + Arrays.toString(e) + " is not a pair of nodes in [0, "
                        + n + ")");
            }
        }
    }

    public int nodes() {
        return features.dim(0);
    }

    /** Each node's neighbours in A + I, ascending. */
    int[][] neighboursWithSelfLoops() {
        List<TreeSet<Integer>> sets = new ArrayList<>();
        for (int i = 0; i < nodes(); i++) {
            TreeSet<Integer> s = new TreeSet<>();
            s.add(i);
            sets.add(s);
        }
        for (int[] e : edges) {
            sets.get(e[0]).add(e[1]);
            sets.get(e[1]).add(e[0]);
        }
        int[][] out = new int[nodes()][];
        for (int i = 0; i < nodes(); i++) {
            out[i] = sets.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }
}

package org.kfac4j.train;

import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.graph.GraphBatch;
import org.kfac4j.nn.layer.Pass;
import org.kfac4j.nn.tensor.Tensor;

/**
 * One batch ready for a forward pass: the inputs, the class labels, and for graph data the batch's block-diagonal
 * graph structure (null for images).
 */
public record StepBatch(Tensor inputs, int[] labels, GraphBatch graph) {

    /** A pass over this batch on {@code linalg}, recording into {@code captures}. */
    public Pass pass(Linalg linalg, boolean training, Captures captures) {
        Pass p = new Pass(linalg, training, captures);
        return graph == null ? p : p.withGraph(graph);
    }

    /** {@code pass} with this batch's graph structure attached, if it has one. */
    public Pass attach(Pass pass) {
        return graph == null ? pass : pass.withGraph(graph);
    }

    public int size() {
        return labels.length;
    }
}

package org.kfac4j.nn.layer;

import java.util.Objects;
import org.kfac4j.linalg.Linalg;
import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.graph.GraphBatch;

/**
 * A forward pass's context: the linear-algebra engine, training or evaluation mode (batch norm), where K-FAC layers
 * record their inputs and output gradients ({@link Captures#NONE} for none), and for graph networks the batch's
 * graph structure (null otherwise).
 */
public record Pass(Linalg linalg, boolean training, Captures captures, GraphBatch graph) {
    public Pass {
        Objects.requireNonNull(linalg, "linalg");
        Objects.requireNonNull(captures, "captures");
    }

    /** A pass over non-graph inputs. */
    public Pass(Linalg linalg, boolean training, Captures captures) {
        this(linalg, training, captures, null);
    }

    /** A training pass on the shared engine, capturing into {@code captures}. */
    public static Pass training(Captures captures) {
        return new Pass(Linalg.shared(), true, captures);
    }

    /** An evaluation pass on the shared engine, capturing nothing. */
    public static Pass evaluation() {
        return new Pass(Linalg.shared(), false, Captures.NONE);
    }

    /** This pass over the nodes of {@code batch}. */
    public Pass withGraph(GraphBatch batch) {
        return new Pass(linalg, training, captures, Objects.requireNonNull(batch, "batch"));
    }

    /** The graph structure, or an error naming the layer that needs it. */
    public GraphBatch requireGraph(Layer who) {
        if (graph == null) {
            throw new IllegalStateException(who + " needs the batch's graph structure: run the model with "
                    + "Pass.withGraph(batch)");
        }
        return graph;
    }
}

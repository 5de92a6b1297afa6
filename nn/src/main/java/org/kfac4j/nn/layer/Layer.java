package org.kfac4j.nn.layer;

import java.util.List;
import org.kfac4j.nn.tensor.Tensor;

/** A network layer: a forward pass that returns a {@link Node} able to backpropagate, and its parameters. */
public interface Layer {
    /** The name, used as the prefix of its parameters' names and in error messages. */
    String name();

    /** Runs the layer on {@code input}; shape errors name this layer and both shapes. */
    Node forward(Tensor input, Pass pass);

    /** Its own and its sub-layers' parameters, in a stable order. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Its own buffers (state saved with the weights but not trained, such as running statistics), in a stable order.
     * Unlike {@link #parameters()}, composites do not repeat their sub-layers' buffers: a model gathers them over
     * {@link #layers()}.
     */
    default List<Buffer> buffers() {
        return List.of();
    }

    /** This layer and its sub-layers, depth first (composites override). */
    default List<Layer> layers() {
        return List.of(this);
    }
}

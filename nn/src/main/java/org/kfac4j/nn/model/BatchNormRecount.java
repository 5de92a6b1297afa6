package org.kfac4j.nn.model;

import java.util.ArrayList;
import java.util.List;
import org.kfac4j.nn.layer.BatchNorm;
import org.kfac4j.nn.layer.Layer;

/**
 * Recomputes every BatchNorm's running statistics for the model's current weights (PyTorch's {@code update_bn}):
 * opened, it forgets them; each training-mode forward pass the caller then runs adds its batch's statistics to a
 * plain average; closed, the layers keep that average and return to their moving average. Needed after
 * {@link WeightAverage#writeInto()}, whose weights the statistics gathered during training do not belong to.
 *
 * <pre>{@code
 * try (BatchNormRecount recount = BatchNormRecount.begin(model)) {
 *     for (Tensor x : trainingBatches) model.forward(x, Pass.training(Captures.NONE));
 * }
 * }</pre>
 */
public final class BatchNormRecount implements AutoCloseable {
    private final List<BatchNorm> layers;

    private BatchNormRecount(List<BatchNorm> layers) {
        this.layers = layers;
    }

    /** Starts the recount of every BatchNorm in {@code model}. */
    public static BatchNormRecount begin(Model model) {
        List<BatchNorm> norms = new ArrayList<>();
        for (Layer l : model.root().layers()) {
            if (l instanceof BatchNorm bn && !norms.contains(bn)) {
                norms.add(bn);
                bn.beginRecount();
            }
        }
        return new BatchNormRecount(List.copyOf(norms));
    }

    /** Whether the model has BatchNorm layers at all (when not, no forward pass is needed). */
    public boolean needed() {
        return !layers.isEmpty();
    }

    @Override
    public void close() {
        layers.forEach(BatchNorm::endRecount);
    }
}

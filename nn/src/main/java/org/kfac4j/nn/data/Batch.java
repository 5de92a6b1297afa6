package org.kfac4j.nn.data;

import org.kfac4j.nn.tensor.Tensor;

/** A mini-batch: inputs {@code B × …} and their class indices. */
public record Batch(Tensor inputs, int[] labels) {
    public int size() {
        return labels.length;
    }
}

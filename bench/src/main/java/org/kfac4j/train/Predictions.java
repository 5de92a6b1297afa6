package org.kfac4j.train;

import org.kfac4j.nn.tensor.Tensor;

/** Class predictions from logits. */
final class Predictions {
    private Predictions() {
    }

    /** How many rows of {@code logits} (N × classes) have their largest entry at the row's label. */
    static int correct(Tensor logits, int[] labels) {
        int classes = logits.dim(-1);
        int right = 0;
        for (int n = 0; n < labels.length; n++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits.get(n * classes + c) > logits.get(n * classes + best)) {
                    best = c;
                }
            }
            right += best == labels[n] ? 1 : 0;
        }
        return right;
    }
}

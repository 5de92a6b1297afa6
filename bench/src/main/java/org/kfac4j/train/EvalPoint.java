package org.kfac4j.train;

/**
 * One evaluation of a run, as a row of its metrics file.
 *
 * @param step          steps taken
 * @param epoch         epochs taken (fractional)
 * @param trainSeconds  time spent in training steps so far (evaluation and checkpoints excluded)
 * @param trainLoss     mean training loss over the steps since the previous evaluation
 * @param trainAccuracy training accuracy over those steps' batches
 * @param valLoss       mean loss on the validation split
 * @param valAccuracy   accuracy on the validation split
 * @param priorPrecision the prior precision δ the Laplace evidence selected last ({@code --marglik}; NaN otherwise)
 * @param weightDecay    the weight decay in force (δ/Z under {@code --marglik}; NaN for a metrics file without it)
 */
public record EvalPoint(long step, double epoch, double trainSeconds, double trainLoss, double trainAccuracy,
                        double valLoss, double valAccuracy, double priorPrecision, double weightDecay) {
}

package org.kfac4j.nn.layer;

/**
 * What one backward pass computes besides the output gradients it records for K-FAC.
 *
 * @param parameterGradients accumulate ∂L/∂θ into every {@link Parameter#grad()} (the training pass); false for
 *                           the extra passes of the Monte-Carlo and exact Fisher, which only record captures
 * @param inputGradient      return the gradient w.r.t. the node's input (false for a model's first layer)
 */
public record Backward(boolean parameterGradients, boolean inputGradient) {
    /** The training pass: parameter gradients and input gradients. */
    public static final Backward TRAIN = new Backward(true, true);
    /** An extra pass that only records output gradients for K-FAC. */
    public static final Backward CAPTURE_ONLY = new Backward(false, true);

    /** The same pass without the input gradient. */
    public Backward withoutInputGradient() {
        return new Backward(parameterGradients, false);
    }
}

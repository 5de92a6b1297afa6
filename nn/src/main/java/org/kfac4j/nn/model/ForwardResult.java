package org.kfac4j.nn.model;

import org.kfac4j.nn.capture.Captures;
import org.kfac4j.nn.layer.Backward;
import org.kfac4j.nn.layer.Node;
import org.kfac4j.nn.tensor.Tensor;

/**
 * A model's forward pass, kept so that it can backpropagate: once for the training gradient, and again from other
 * output gradients (sampled targets, Hessian-factor columns) for the curvature, with no second forward pass.
 */
public final class ForwardResult {
    private final Node node;
    private final Captures captures;

    ForwardResult(Node node, Captures captures) {
        this.node = node;
        this.captures = captures;
    }

    /** The network output. */
    public Tensor output() {
        return node.output();
    }

    /** The captures recorded by this pass and the backward passes from it. */
    public Captures captures() {
        return captures;
    }

    /** Backpropagates ∂L/∂output: accumulates parameter gradients and records output gradients (a new pass). */
    public void backward(Tensor gradOutput) {
        captures.beginBackward();
        node.backward(gradOutput, Backward.TRAIN.withoutInputGradient());
    }

    /** Backpropagates another output gradient only to record the K-FAC layers' output gradients (a new pass). */
    public void backwardCaptureOnly(Tensor gradOutput) {
        captures.beginBackward();
        node.backward(gradOutput, Backward.CAPTURE_ONLY.withoutInputGradient());
    }

    /** Backpropagates ∂L/∂output and returns ∂L/∂input (for gradient checks and input attribution). */
    public Tensor backwardToInput(Tensor gradOutput) {
        captures.beginBackward();
        return node.backward(gradOutput, Backward.TRAIN);
    }
}

package org.kfac4j.nn.loss;

import org.kfac4j.nn.tensor.Tensor;

/** A loss value and its gradient w.r.t. the network output (same shape as the output). */
public record LossValue(double value, Tensor gradient) {
}
